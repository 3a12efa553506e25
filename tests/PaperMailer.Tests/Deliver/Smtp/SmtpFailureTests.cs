using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;
using static PaperMailer.Deliver.DeliveryOutcome;

namespace PaperMailer.Tests.Deliver.Smtp;

/// <summary>
/// How each failure MailKit reports becomes the outcome the digest run acts on. The real servers produce these in
/// the integration tests; here every class of reply and fault is covered, including ones those servers cannot stage.
/// </summary>
public sealed class SmtpFailureTests
{
    private static readonly SmtpOptions Options = new() { Host = "smtp.example.org", Port = 587 };
    private static readonly MailboxAddress Ann = new("Ann", "ann@example.org");

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "5.1.1 <ann@example.org>: Recipient address rejected", Failed)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 450, "4.2.1 Mailbox busy", Deferred)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 554, "5.7.1 Message rejected as spam", Failed)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 451, "4.3.0 Try again later", Deferred)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 552, "5.3.4 Message size exceeds fixed limit", Failed)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 421, "4.7.0 Too many connections", Deferred)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, 554, "5.5.1 DATA refused", Failed)]
    public void A_reply_to_the_message_fails_it_when_permanent_and_defers_it_when_temporary(SmtpErrorCode error, int code, string text, DeliveryOutcome outcome)
    {
        DeliveryResult result = SmtpFailure.ToResult(new SmtpCommandException(error, (SmtpStatusCode)code, Ann, text), SmtpStage.Sending, Options);

        // Only a permanent refusal of the recipient's address is the recipient's fault (what suppression counts).
        bool recipientsFault = error == SmtpErrorCode.RecipientNotAccepted && code >= 500;
        Assert.Equal(DeliveryResult.FromReply(outcome, code, text) with { RecipientRefused = recipientsFault }, result);
        Assert.Equal(recipientsFault, result.IsRecipientsFault);
    }

    [Fact]
    public void A_refused_sender_is_deferred_and_points_at_Delivery_From_rather_than_failing_the_recipient()
    {
        var refusal = new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, (SmtpStatusCode)553, Ann, "5.7.1 Sender address rejected: not owned by user");

        DeliveryResult result = SmtpFailure.ToResult(refusal, SmtpStage.Sending, Options);

        Assert.Equal(new DeliveryResult(Deferred,
            "553 5.7.1 Sender address rejected: not owned by user (smtp.example.org:587 refused MAIL FROM: check Delivery:From)", 553, "5.7.1"), result);
    }

    [Fact]
    public void A_refused_greeting_defers_as_a_problem_of_the_session()
    {
        var refusal = new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)554, "5.7.1 No SMTP service here");

        DeliveryResult result = SmtpFailure.ToResult(refusal, SmtpStage.Connecting, Options);

        Assert.Equal(new DeliveryResult(Deferred, "554 5.7.1 No SMTP service here (smtp.example.org:587 refused the session)", 554, "5.7.1"), result);
    }

    [Fact]
    public void A_refused_login_defers_with_the_servers_reply_and_the_settings_to_check()
    {
        var refused = new AuthenticationException("535: 5.7.8 Authentication credentials invalid",
            new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)535, "5.7.8 Authentication credentials invalid"));

        DeliveryResult result = SmtpFailure.ToResult(refused, SmtpStage.Authenticating, Options);

        Assert.Equal(new DeliveryResult(Deferred, "535 5.7.8 Authentication credentials invalid "
            + "(AUTH refused by smtp.example.org:587: check the Smtp settings Security, UserName and Password)", 535, "5.7.8"), result);
    }

    [Fact]
    public void A_server_that_wants_AUTH_when_none_is_configured_says_which_settings_to_set()
    {
        DeliveryResult result = SmtpFailure.ToResult(new ServiceNotAuthenticatedException("5.7.0 Authentication required"), SmtpStage.Sending, Options);

        Assert.Equal(new DeliveryResult(Deferred,
            "530 5.7.0 Authentication required (smtp.example.org:587 requires AUTH: set Smtp:UserName and Smtp:Password)", 530, "5.7.0"), result);
    }

    [Fact]
    public void Faults_without_a_reply_defer_and_name_the_server()
    {
        Assert.Equal(DeliveryResult.Deferred("Connection refused (smtp.example.org:587)"),
            SmtpFailure.ToResult(new SocketException((int)SocketError.ConnectionRefused), SmtpStage.Connecting, Options));
        Assert.Equal(DeliveryResult.Deferred("connection lost: The SMTP server has unexpectedly disconnected (smtp.example.org:587)"),
            SmtpFailure.ToResult(new SmtpProtocolException("The SMTP server has unexpectedly disconnected."), SmtpStage.Sending, Options));
        Assert.Equal(DeliveryResult.Deferred("no answer from smtp.example.org:587 within 60 s while authenticating (Smtp:Timeout)"),
            SmtpFailure.ToResult(new SmtpStageTimeoutException(SmtpStage.Authenticating, TimeSpan.FromSeconds(60), new OperationCanceledException()), SmtpStage.Authenticating, Options));
    }

    [Fact]
    public void An_untrusted_certificate_defers_and_mentions_the_setting_for_test_servers()
    {
        var tls = new SslHandshakeException("An error occurred while attempting to establish an SSL or TLS connection.",
            new System.Security.Authentication.AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));

        DeliveryResult result = SmtpFailure.ToResult(tls, SmtpStage.Connecting, Options);

        Assert.Equal(DeliveryResult.Deferred("TLS handshake failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot "
            + "(smtp.example.org:587; for a test server with a self-signed certificate: Smtp:SkipCertificateValidation=true)"), result);
    }

    [Fact]
    public void Only_a_dead_connection_is_worth_a_second_try_elsewhere_and_only_a_refusal_leaves_the_session_usable()
    {
        var idleGoodbye = new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.ServiceNotAvailable, Ann, "4.4.2 Error: timeout exceeded");
        var rejected = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, Ann, "5.1.1 unknown");
        var throttled = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.ServiceNotAvailable, Ann, "4.7.0 slow down");

        Assert.True(SmtpFailure.MeansDeadConnection(idleGoodbye));
        Assert.True(SmtpFailure.MeansDeadConnection(new SmtpProtocolException("The SMTP server has unexpectedly disconnected.")));
        Assert.True(SmtpFailure.MeansDeadConnection(new IOException("Broken pipe")));
        Assert.False(SmtpFailure.MeansDeadConnection(rejected));
        Assert.False(SmtpFailure.MeansDeadConnection(throttled));
        Assert.True(SmtpFailure.LeavesConnectionUsable(rejected));
        Assert.False(SmtpFailure.LeavesConnectionUsable(throttled));
        Assert.False(SmtpFailure.LeavesConnectionUsable(new IOException("Broken pipe")));
        Assert.False(SmtpFailure.Covers(new InvalidOperationException("a bug")));
        Assert.True(SmtpFailure.Covers(new SmtpProtocolException("not SMTP")));
    }
}
