using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// An <see cref="OutgoingMessage"/> as a System.Net.Mail <see cref="MailMessage"/>. What System.Net.Mail then puts
/// on the wire (checked against a real server by the integration tests): our Message-ID and extra headers
/// unchanged (long ones folded at spaces); multipart/alternative with the views in the order added; non-ASCII
/// subject and display names as UTF-8 encoded words. It always writes its own Date header from the sending
/// machine's clock (without the day of week), so <see cref="OutgoingMessage.Date"/> does not reach the wire.
/// </summary>
internal static class MailMessageMapping
{
    /// <exception cref="ArgumentException">The Message-ID or an extra header is malformed.</exception>
    public static MailMessage ToMailMessage(OutgoingMessage message)
    {
        OutgoingMessageRules.Validate(message);
        var mail = new MailMessage
        {
            From = message.From,
            Subject = HeaderValues.OneLine(message.Subject),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        try
        {
            mail.To.Add(message.To);
            mail.Headers.Add("Message-ID", message.MessageId);
            foreach ((string name, string value) in message.Headers)
            {
                mail.Headers.Add(name, value);
            }

            // Plain text first, HTML last: clients show the last alternative they can render (RFC 2046 5.1.4).
            mail.AlternateViews.Add(View(message.TextBody, MediaTypeNames.Text.Plain));
            mail.AlternateViews.Add(View(message.HtmlBody, MediaTypeNames.Text.Html));
            return mail;
        }
        catch
        {
            mail.Dispose();
            throw;
        }
    }

    // Quoted-printable keeps mostly-ASCII digests readable in the raw message. System.Net.Mail encodes line
    // breaks as "=0D=0A" inside soft-wrapped lines rather than as real line breaks; decoders restore the CRLFs,
    // so the text arrives intact. Line ends are made CRLF first, the canonical form of text (RFC 2046 4.1.1).
    private static AlternateView View(string body, string mediaType)
    {
        var view = AlternateView.CreateAlternateViewFromString(body.ReplaceLineEndings("\r\n"), Encoding.UTF8, mediaType);
        view.TransferEncoding = TransferEncoding.QuotedPrintable;
        return view;
    }
}
