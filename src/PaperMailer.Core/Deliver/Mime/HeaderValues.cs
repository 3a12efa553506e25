using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>Header values in their RFC 5322 / RFC 2047 form, unfolded (words separated by single spaces).</summary>
internal static class HeaderValues
{
    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// Control characters (a CR or LF would start a new header) become spaces: a subject is one line of text.
    /// Shared with the SMTP transport so that both transports send the same subject.
    /// </summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    /// <summary>An unstructured value such as the subject: plain when it can be, otherwise encoded words.</summary>
    public static string Unstructured(string text)
    {
        text = OneLine(text);
        return EncodedWords.Needed(text) ? string.Join(' ', EncodedWords.Encode(text)) : text;
    }

    /// <summary>"Display Name &lt;user@example.org&gt;", or the bare address when there is no display name.</summary>
    public static string Mailbox(MailAddress address)
    {
        string addrSpec = AddrSpec(address);
        string name = OneLine(address.DisplayName).Trim();
        if (name.Length == 0)
        {
            return addrSpec;
        }

        string phrase = EncodedWords.Needed(name) ? string.Join(' ', EncodedWords.Encode(name))
            : name.All(IsAtextOrSpace) && !name.Contains("  ", StringComparison.Ordinal) ? name
            : QuotedString(name);
        return phrase + " <" + addrSpec + ">";
    }

    /// <summary>RFC 5322 section 3.3 date-time, e.g. "Sun, 22 Nov 2026 17:00:00 +0100", in the value's own offset.</summary>
    public static string Date(DateTimeOffset date)
    {
        TimeSpan offset = date.Offset;
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + offset.Hours.ToString("00", CultureInfo.InvariantCulture) + offset.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    // The domain in its ASCII (punycode) form so the header stays ASCII; a non-ASCII local part has no ASCII
    // form and is written as UTF-8 (RFC 6532), which only SMTPUTF8 servers accept.
    private static string AddrSpec(MailAddress address)
    {
        string host = address.Host.All(char.IsAscii) ? address.Host : Idn.GetAscii(address.Host);
        return address.User + "@" + host;
    }

    private static bool IsAtextOrSpace(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".Contains(c);

    private static string QuotedString(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
