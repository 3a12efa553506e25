using System.Reflection;
using PaperMailer.Storage;
using Xunit.Sdk;

namespace PaperMailer.Testing;

/// <summary>
/// Runs a store contract test against SQLite (<see cref="SqliteStoreAttribute"/>) and PostgreSQL
/// (<see cref="PostgresStoreAttribute"/>): put both on a <c>[Theory]</c> taking a <see cref="StorageProvider"/>.
/// The PostgreSQL case is skipped with the reason when no test server is set, except on CI.
/// </summary>
public sealed class SqliteStoreAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProvider.Sqlite]];
}

/// <inheritdoc cref="SqliteStoreAttribute"/>
public sealed class PostgresStoreAttribute : DataAttribute
{
    public PostgresStoreAttribute()
    {
        Skip = TestEnvironment.SkipUnless(PostgresTestDatabase.Available, PostgresTestDatabase.MissingReason);
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProvider.Postgres]];
}

/// <summary>
/// Which store the tests of both projects use when they do not choose: SQLite, or PostgreSQL when
/// PAPERMAILER_TEST_STORAGE=Postgres (each test then gets a throwaway database on the PostgreSQL test server: see
/// <see cref="TestStore"/>).
/// </summary>
public static class TestStorage
{
    public const string Variable = "PAPERMAILER_TEST_STORAGE";

    public static StorageProvider Default =>
        Enum.TryParse<StorageProvider>(Environment.GetEnvironmentVariable(Variable), ignoreCase: true, out var provider) ? provider : StorageProvider.Sqlite;
}
