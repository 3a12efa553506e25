namespace PaperMailer.Testing;

/// <summary>
/// A test against the PostgreSQL test server (<see cref="PostgresTestDatabase.Variable"/>, started by
/// scripts/test-servers.sh). Skipped with the reason when it is not set, except on CI (CI=true), where the test
/// runs and fails with that reason.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(PostgresTestDatabase.Available, PostgresTestDatabase.MissingReason);
    }
}
