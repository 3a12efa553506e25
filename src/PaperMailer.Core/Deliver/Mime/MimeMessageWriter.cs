using System.Security.Cryptography;
using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// Writes an <see cref="OutgoingMessage"/> as an RFC 5322 message: multipart/alternative with the plain-text part
/// first and the HTML part second (clients show the last part they can render), both UTF-8, each quoted-printable
/// unless base64 is smaller (text mostly outside ASCII).
/// CRLF line ends, header lines folded under 78 columns where the words allow and never over 998 octets.
/// The same message always gives the same bytes, so a resent message is byte-identical to the first attempt.
/// </summary>
public static class MimeMessageWriter
{
    /// <exception cref="ArgumentException">The Message-ID or an extra header is malformed (a bug in the caller).</exception>
    public static byte[] Write(OutgoingMessage message) => Encoding.UTF8.GetBytes(Compose(message));

    /// <inheritdoc cref="Write(OutgoingMessage)"/>
    public static async Task WriteAsync(OutgoingMessage message, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(Write(message), cancellationToken).ConfigureAwait(false);
    }

    private static string Compose(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        OutgoingMessageRules.Validate(message);
        string boundary = Boundary(message.MessageId);

        var output = new StringBuilder(message.TextBody.Length + message.HtmlBody.Length * 11 / 10 + 2048);
        HeaderFolder.AppendField(output, "Date", HeaderValues.Date(message.Date));
        HeaderFolder.AppendField(output, "From", HeaderValues.Mailbox(message.From));
        HeaderFolder.AppendField(output, "To", HeaderValues.Mailbox(message.To));
        HeaderFolder.AppendField(output, "Subject", HeaderValues.Unstructured(message.Subject));
        HeaderFolder.AppendField(output, "Message-ID", message.MessageId);
        HeaderFolder.AppendField(output, "MIME-Version", "1.0");
        foreach ((string name, string value) in message.Headers)
        {
            HeaderFolder.AppendField(output, name, value);
        }

        // The boundary contains "=_", which quoted-printable output can never contain ("=" is always followed
        // by two hex digits or a line break there) and base64 output neither ("_" is not in its alphabet), so no
        // line of either body can be taken for a delimiter.
        HeaderFolder.AppendField(output, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
        output.Append("\r\n");

        AppendPart(output, boundary, "text/plain", message.TextBody);
        AppendPart(output, boundary, "text/html", message.HtmlBody);
        output.Append("--").Append(boundary).Append("--\r\n");
        return output.ToString();
    }

    private static void AppendPart(StringBuilder output, string boundary, string mediaType, string body)
    {
        // Quoted-printable keeps mostly-ASCII text readable in the raw message; where it would come out larger
        // than base64 (every non-ASCII byte costs three octets), base64 is smaller on the wire and for DKIM to hash.
        var quotedPrintable = new StringBuilder(body.Length + body.Length / 8 + 16);
        QuotedPrintableEncoder.Encode(body, quotedPrintable);
        bool base64 = quotedPrintable.Length > Base64BodyEncoder.EncodedLength(Encoding.UTF8.GetByteCount(Base64BodyEncoder.CanonicalLineBreaks(body)));

        output.Append("--").Append(boundary).Append("\r\n");
        HeaderFolder.AppendField(output, "Content-Type", mediaType + "; charset=utf-8");
        HeaderFolder.AppendField(output, "Content-Transfer-Encoding", base64 ? "base64" : "quoted-printable");
        output.Append("\r\n");
        if (base64)
        {
            Base64BodyEncoder.Encode(body, output);
        }
        else
        {
            output.Append(quotedPrintable);
        }

        // This CRLF belongs to the next delimiter (RFC 2046 5.1.1), so a body without a final newline stays so.
        output.Append("\r\n");
    }

    // Derived from the Message-ID rather than random, so that writing the same message twice gives the same bytes.
    private static string Boundary(string messageId)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(messageId));
        return "=_pm_" + Convert.ToHexStringLower(hash, 0, 12);
    }
}
