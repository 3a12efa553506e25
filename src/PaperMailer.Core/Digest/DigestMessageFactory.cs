using System.Net.Mail;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Domain;
using PaperMailer.Render;

namespace PaperMailer.Digest;

/// <summary>Turns a rendered digest into the email: addresses, Message-ID and the one-click unsubscribe headers.</summary>
public sealed class DigestMessageFactory(IOptions<DeliveryOptions> options)
{
    private readonly MailAddress _from = ParseFrom(options.Value.From);

    public MailAddress From => _from;

    /// <summary>A new Message-ID for a digest; stored in the ledger and reused by every attempt.</summary>
    public string NewMessageId(Subscriber subscriber, DateOnly date) =>
        $"<pm.{date:yyyyMMdd}.{subscriber.Id}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}@{_from.Host}>";

    /// <summary>A Message-ID for a one-off notice (a confirmation, a test send).</summary>
    public string NewNoticeMessageId(string kind, long subscriberId) =>
        $"<pm.{kind}.{subscriberId}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}@{_from.Host}>";

    public OutgoingMessage Create(Subscriber subscriber, RenderedDigest digest, string messageId, string unsubscribeUrl, DateTimeOffset date) => new()
    {
        From = _from,
        To = string.IsNullOrWhiteSpace(subscriber.Name) ? new MailAddress(subscriber.Email) : new MailAddress(subscriber.Email, subscriber.Name),
        Subject = digest.Subject,
        TextBody = digest.Text,
        HtmlBody = digest.Html,
        MessageId = messageId,
        Date = date,
        Headers =
        [
            // RFC 2369 and RFC 8058: mail clients show an unsubscribe button and POST to the URL in one click.
            new("List-Unsubscribe", $"<{unsubscribeUrl}>"),
            new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ],
    };

    public static MailAddress ParseFrom(string from) =>
        MailAddress.TryCreate(from, out var address)
            ? address
            : throw new InvalidOperationException($"Delivery:From \"{from}\" is not an email address (expected \"Name <address@domain>\" or \"address@domain\").");
}
