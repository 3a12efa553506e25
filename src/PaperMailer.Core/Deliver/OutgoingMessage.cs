using System.Net.Mail;

namespace PaperMailer.Deliver;

/// <summary>
/// One email ready to go: both bodies rendered, every header decided. Transports turn it into bytes on the wire
/// or a file; they never change what it says. The Message-ID is decided once per digest and kept across retries.
/// </summary>
public sealed record OutgoingMessage
{
    public required MailAddress From { get; init; }
    public required MailAddress To { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public required string HtmlBody { get; init; }
    /// <summary>Message-ID in angle brackets, e.g. "&lt;pm.2026-11-22.17.x8k2@example.org&gt;".</summary>
    public required string MessageId { get; init; }
    public required DateTimeOffset Date { get; init; }
    /// <summary>Further headers in order, e.g. List-Unsubscribe and List-Unsubscribe-Post.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
