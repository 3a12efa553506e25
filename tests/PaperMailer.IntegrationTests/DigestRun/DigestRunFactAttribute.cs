using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// A digest-run test: real `papermailer` processes against an SMTP server of the test's own (and, when asked,
/// faketime). Skipped with the reason when those are missing, except on CI, where it must run.
/// </summary>
public sealed class DigestRunFactAttribute : FactAttribute
{
    public DigestRunFactAttribute(bool faketime = false)
    {
        Skip = TestEnvironment.SkipUnless(RecordingSmtpServer.Available, RecordingSmtpServer.MissingReason)
            ?? (faketime ? TestEnvironment.SkipUnless(PaperMailerProcess.FaketimeAvailable, PaperMailerProcess.FaketimeMissingReason) : null);
    }
}
