using System.Net.Mail;

namespace PaperMailer.Deliver.Smtp;

/// <summary>Turns what System.Net.Mail throws into a <see cref="DeliveryResult"/> with the server's own words.</summary>
internal static class SmtpFailureMapping
{
    private const string ServerResponseMarker = "The server response was: ";

    // Authentication problems (530 "authentication required" is what System.Net.Mail ends with after a rejected
    // password; 534/535/538 are AUTH's own replies) are deferred, not failed: the operator fixes the settings
    // and the digests go out then. Postfix does the same by default (smtp_sasl_auth_soft_bounce = yes).
    private static readonly HashSet<int> SettingsProblemCodes = [530, 534, 535, 538];

    public static DeliveryResult FromException(Exception exception, string endpoint)
    {
        if (exception is SmtpFailedRecipientsException { InnerExceptions.Length: > 0 } several)
        {
            exception = several.InnerExceptions[0];
        }

        if (exception is SmtpException smtp && (int)smtp.StatusCode is >= 400 and < 600 and var code)
        {
            string reply = $"{code} {ServerWords(smtp.Message)}";
            if (SettingsProblemCodes.Contains(code))
            {
                return DeliveryResult.Deferred($"{reply} (from {endpoint}; check the Smtp settings Security, UserName and Password)");
            }

            return code < 500 ? DeliveryResult.Deferred(reply) : DeliveryResult.Failed(reply);
        }

        // No SMTP reply at all: refused or dropped connection, TLS failure, timeout. All may pass, so retry later.
        return DeliveryResult.Deferred($"{Describe(exception)} ({endpoint})");
    }

    // System.Net.Mail puts its own sentence before the server's reply text; the ledger wants the server's words.
    private static string ServerWords(string message)
    {
        int marker = message.IndexOf(ServerResponseMarker, StringComparison.Ordinal);
        return marker < 0 ? message : message[(marker + ServerResponseMarker.Length)..];
    }

    // "Failure sending mail: Connection refused": the outer message says what failed, the inner ones why.
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            string text = e.Message.TrimEnd('.', ' ');
            if (text.Length > 0 && !parts.Contains(text))
            {
                parts.Add(text);
            }
        }

        return string.Join(": ", parts);
    }
}
