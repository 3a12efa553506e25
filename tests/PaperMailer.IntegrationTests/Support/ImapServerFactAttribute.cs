namespace PaperMailer.Testing;

/// <summary>
/// A test against the IMAP test server (Dovecot). Skipped with the reason when it is not running, except on CI
/// (CI=true), where the test runs and fails with that reason.
/// </summary>
public sealed class ImapServerFactAttribute : FactAttribute
{
    public ImapServerFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(
            !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestServers.ImapVariable)), TestServers.ImapMissingReason);
    }
}
