using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Deliver;

/// <summary>
/// Turns rendered text into the emails PaperMailer sends: the digest (with the one-click unsubscribe headers), a
/// marked test preview of it, and the notices such as the confirmation email. All are multipart/alternative (text,
/// then HTML) from <see cref="DeliveryOptions.From"/>, with non-ASCII names and subjects as encoded words, and carry
/// Message-IDs made here, in the sender's domain.
/// </summary>
public sealed class MailMessageFactory(IOptions<DeliveryOptions> options)
{
    /// <summary>What the subject of a test preview starts with.</summary>
    public const string TestSubjectPrefix = "[TEST] ";

    /// <summary>The header that marks a test preview; its value says what the preview is.</summary>
    public const string TestHeader = "X-PaperMailer-Test";

    private static readonly IdnMapping Idn = new();

    private readonly MailboxAddress _from = ParseFrom(options.Value.From);

    /// <summary>The sender, a copy: the caller may put it in a message's address list (an address list holds on to what it contains).</summary>
    public MailboxAddress From => (MailboxAddress)_from.Clone();

    /// <summary>A new Message-ID for a digest, in angle brackets; stored in the ledger and reused by every attempt.</summary>
    public string NewDigestMessageId(long subscriberId, DateOnly date) =>
        $"<pm.{date:yyyyMMdd}.{subscriberId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}@{MessageIdDomain}>";

    /// <summary>A Message-ID for a one-off notice (a confirmation, a test send).</summary>
    public string NewNoticeMessageId(string kind, long subscriberId) =>
        $"<pm.{kind}.{subscriberId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@{MessageIdDomain}>";

    /// <summary>A subscriber's digest. <paramref name="date"/> is when it was decided, so every attempt says the same.</summary>
    public MimeMessage CreateDigest(string? toName, string toAddress, string subject, string text, string html, string messageId, string unsubscribeUrl, DateTimeOffset date)
    {
        MimeMessage message = Build(Mailbox(toName, toAddress), subject, text, html, messageId, date);
        // RFC 2369 and RFC 8058: mail clients show an unsubscribe button and POST to the URL in one click.
        message.Headers.Add(OnOneLine("List-Unsubscribe", $"<{OneLine(unsubscribeUrl)}>"));
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    /// <summary>
    /// A digest sent to an operator as a preview: subject prefixed <see cref="TestSubjectPrefix"/>, the
    /// <see cref="TestHeader"/> saying what it is, and no List-Unsubscribe (a test inbox must not act for anyone).
    /// </summary>
    public MimeMessage CreateTest(string? toName, string toAddress, string subject, string text, string html, string description, long subscriberId, DateTimeOffset date)
    {
        MimeMessage message = Build(Mailbox(toName, toAddress), TestSubjectPrefix + subject, text, html,
            NewNoticeMessageId("test", subscriberId), date);
        message.Headers.Add(TestHeader, OneLine(description));
        return message;
    }

    /// <summary>A one-off notice to a subscriber (<paramref name="kind"/>: "confirm", ...), from already rendered parts.</summary>
    public MimeMessage CreateNotice(string kind, long subscriberId, string toAddress, string subject, string text, string html, DateTimeOffset date) =>
        Build(Mailbox(null, toAddress), subject, text, html, NewNoticeMessageId(kind, subscriberId), date);

    /// <exception cref="InvalidOperationException">The setting is not an email address; the message names it.</exception>
    public static MailboxAddress ParseFrom(string from) =>
        TryParseFrom(from, out MailboxAddress? address)
            ? address
            : throw new InvalidOperationException($"Delivery:From \"{from}\" is not an email address (expected \"Name <address@domain>\" or \"address@domain\").");

    /// <summary>Whether <paramref name="from"/> is one mailbox with a local part and a domain, optionally with a display name.</summary>
    public static bool TryParseFrom(string? from, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MailboxAddress? address) =>
        MailboxAddress.TryParse(from ?? "", out address) && address.Domain.Length > 0 && address.LocalPart.Length > 0;

    // A Message-ID is ASCII: an internationalised domain appears in its punycode form.
    private string MessageIdDomain => Idn.GetAscii(_from.Domain);

    private MimeMessage Build(MailboxAddress to, string subject, string text, string html, string messageId, DateTimeOffset date)
    {
        var message = new MimeMessage
        {
            Date = date,
            Subject = OneLine(subject),
            MessageId = messageId,
            Body = AlternativeBody.Create(text, html, messageId),
        };
        // A copy per message: an address list subscribes to the Changed event of every address added to it, so one
        // shared address would keep every message ever built reachable from this factory (a singleton) — in a digest
        // run, each digest's encoded parts until the process ends.
        message.From.Add(_from.Clone());
        message.To.Add(to);
        return message;
    }

    // MimeKit folds a value too long for one 78-column line onto a line of its own, leaving "List-Unsubscribe:"
    // empty; some readers then see the URL with a leading space. A URL is one word, so it stays beside its name
    // (header lines may be up to 998 octets, RFC 5322 2.1.1).
    private static Header OnOneLine(string name, string value)
    {
        var header = new Header(name, value);
        header.SetRawValue(Encoding.ASCII.GetBytes($" {value}\r\n"));
        return header;
    }

    private static MailboxAddress Mailbox(string? name, string address) => new(OneLine(name ?? "").Trim(), address);

    /// <summary>Control characters (a CR or LF would start a new header) become spaces: a subject or name is one line.</summary>
    private static string OneLine(string text)
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
}
