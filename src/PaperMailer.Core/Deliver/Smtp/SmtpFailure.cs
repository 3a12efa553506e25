using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using static PaperMailer.Deliver.DeliveryOutcome;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// What MailKit throws, as the outcome the digest run acts on, with the server's own words. A reply's class decides:
/// 4xx is temporary (deferred), 5xx to the recipient or the message is permanent (failed). Everything that is no
/// fault of the recipient or the message (the server unreachable, TLS, AUTH, a refused sender, a timeout) is deferred,
/// and where the operator's settings are the likely cause the reply says which ones.
/// </summary>
internal static class SmtpFailure
{
    private const string CredentialsNote = "check the Smtp settings Security, UserName and Password";

    /// <summary>Whether the exception is a delivery problem <see cref="ToResult"/> describes (anything else is a bug).</summary>
    public static bool Covers(Exception exception) => exception is SmtpStageTimeoutException or SmtpCommandException
        or ServiceNotAuthenticatedException or AuthenticationException or NotSupportedException or SslHandshakeException
        or SocketException or IOException or ProtocolException or ServiceNotConnectedException;

    /// <param name="stage">Where it happened: a refused command while connecting is the session's problem, while sending the message's.</param>
    public static DeliveryResult ToResult(Exception exception, SmtpStage stage, SmtpOptions options)
    {
        string endpoint = $"{options.Host}:{options.Port}";
        return exception switch
        {
            SmtpStageTimeoutException timeout => DeliveryResult.Deferred(
                $"no answer from {endpoint} within {timeout.Timeout.TotalSeconds:0.###} s while {Describe(timeout.Stage)} (Smtp:Timeout)"),
            SmtpCommandException refusal => FromRefusal(refusal, stage, endpoint),
            // 530 "authentication required" to MAIL FROM: the server wants AUTH and none was configured.
            ServiceNotAuthenticatedException notAuthenticated => DeliveryResult.FromReply(Deferred, 530, notAuthenticated.Message,
                $"{endpoint} requires AUTH: set Smtp:UserName and Smtp:Password"),
            AuthenticationException { InnerException: SmtpCommandException refused } =>
                DeliveryResult.FromReply(Deferred, (int)refused.StatusCode, refused.Message, $"AUTH refused by {endpoint}: {CredentialsNote}"),
            AuthenticationException other => DeliveryResult.Deferred($"AUTH failed: {other.Message} ({endpoint}; {CredentialsNote})"),
            NotSupportedException unsupported => DeliveryResult.Deferred($"{unsupported.Message.TrimEnd('.')} ({endpoint}; {CredentialsNote})"),
            SslHandshakeException tls => DeliveryResult.Deferred($"TLS handshake failed: {Innermost(tls).TrimEnd('.')} ({endpoint}"
                + (options.SkipCertificateValidation ? ")" : "; for a test server with a self-signed certificate: Smtp:SkipCertificateValidation=true)")),
            SocketException socket => DeliveryResult.Deferred($"{socket.Message.TrimEnd('.')} ({endpoint})"),
            // Dropped connections, replies that are not SMTP, a connection MailKit already closed.
            IOException or ProtocolException or ServiceNotConnectedException =>
                DeliveryResult.Deferred($"connection lost: {exception.Message.TrimEnd('.')} ({endpoint})"),
            _ => throw new ArgumentException($"Not a delivery problem: {exception.GetType()}", nameof(exception)),
        };
    }

    /// <summary>The failures worth one more try on a fresh connection when a pooled one was used: it had died while idle.</summary>
    public static bool MeansDeadConnection(Exception exception) => exception is IOException or ProtocolException or ServiceNotConnectedException
        // 421 to MAIL FROM: the server said goodbye to the idle connection (RFC 5321 3.8) and the reply was read only now.
        or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable, ErrorCode: SmtpErrorCode.SenderNotAccepted };

    /// <summary>After these the session is still good for the next message; after anything else it is closed.</summary>
    public static bool LeavesConnectionUsable(Exception exception) =>
        exception is SmtpCommandException { StatusCode: not SmtpStatusCode.ServiceNotAvailable } or ServiceNotAuthenticatedException;

    private static DeliveryResult FromRefusal(SmtpCommandException refusal, SmtpStage stage, string endpoint)
    {
        int code = (int)refusal.StatusCode;
        if (code is >= 400 and < 500)
        {
            return DeliveryResult.FromReply(Deferred, code, refusal.Message);
        }

        return refusal.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => DeliveryResult.FromReply(Failed, code, refusal.Message) with { RecipientRefused = true },
            SmtpErrorCode.MessageNotAccepted => DeliveryResult.FromReply(Failed, code, refusal.Message),
            // 552 to MAIL FROM is this message's size (RFC 1870), a real failure of the message.
            SmtpErrorCode.SenderNotAccepted when code == 552 => DeliveryResult.FromReply(Failed, code, refusal.Message),
            // A refused sender is the operator's settings, not the recipient's fault: retried once they are fixed, and
            // never counted towards suppressing the recipient.
            SmtpErrorCode.SenderNotAccepted => DeliveryResult.FromReply(Deferred, code, refusal.Message, $"{endpoint} refused MAIL FROM: check Delivery:From"),
            // A 5xx to DATA: the server will not take this message from us.
            _ when stage == SmtpStage.Sending => DeliveryResult.FromReply(Failed, code, refusal.Message),
            // A refused greeting, EHLO or STARTTLS: the session, not this recipient.
            _ => DeliveryResult.FromReply(Deferred, code, refusal.Message, $"{endpoint} refused the session"),
        };
    }

    private static string Describe(SmtpStage stage) => stage switch
    {
        SmtpStage.Connecting => "connecting",
        SmtpStage.Authenticating => "authenticating",
        _ => "sending the message",
    };

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }
}
