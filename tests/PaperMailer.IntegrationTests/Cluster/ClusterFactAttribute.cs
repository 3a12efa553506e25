using PaperMailer.IntegrationTests.DigestRun;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// A cluster test: real `papermailer run` nodes on the PostgreSQL test server, sending to an SMTP server of the test's
/// own. Skipped with the reason when either is missing, except on CI, where it must run.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(PostgresTestDatabase.Available, PostgresTestDatabase.MissingReason)
            ?? TestEnvironment.SkipUnless(RecordingSmtpServer.Available, RecordingSmtpServer.MissingReason);
    }
}
