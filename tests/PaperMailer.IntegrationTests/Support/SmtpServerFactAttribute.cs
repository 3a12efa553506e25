namespace PaperMailer.Testing;

/// <summary>
/// A test against the SMTP test servers. Skipped with the reason when the server's variable is not set, except
/// on CI (CI=true), where the test runs and fails with that reason (see <see cref="TestServers"/>).
/// </summary>
public sealed class SmtpServerFactAttribute : FactAttribute
{
    public SmtpServerFactAttribute(string variable = TestServers.SmtpVariable)
    {
        Skip = TestEnvironment.SkipUnless(
            !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)), TestServers.MissingReason(variable));
    }
}
