using MimeKit;

namespace PaperMailer.Bounces;

/// <summary>
/// Reads delivery status notifications (RFC 3464: multipart/report; report-type=delivery-status, a
/// message/delivery-status part with one group of fields per recipient) and feedback reports (RFC 5965 ARF:
/// report-type=feedback-report, a message/feedback-report part) with MimeKit. Anything else is not a report (null):
/// an auto-reply, a person writing to the bounce address, a provider's own non-standard format.
/// </summary>
public static class BounceReportParser
{
    private static readonly HashSet<string> ComplaintTypes = new(["abuse", "fraud", "virus", "other"], StringComparer.OrdinalIgnoreCase);

    public static BounceReport? Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FindReport(message.Body) is not { } report) return null;
        var original = report.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        return report.ReportType?.ToLowerInvariant() switch
        {
            "delivery-status" when report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } status => FromDeliveryStatus(message, status, original),
            "feedback-report" when report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } feedback => FromFeedback(message, feedback, original),
            _ => null,
        };
    }

    private static BounceReport? FromDeliveryStatus(MimeMessage message, MessageDeliveryStatus part, MimeMessage? original)
    {
        var groups = part.StatusGroups;
        if (groups.Count < 2) return null;   // the per-message group and at least one recipient
        // One digest goes to one person, so a report normally has one recipient; with several, the worst counts.
        (BounceKind Kind, HeaderList Fields)? worst = null;
        foreach (var fields in groups.Skip(1))
        {
            if (Classify(fields["Action"], StatusCode(fields["Status"])) is not { } kind) continue;
            if (worst is null || kind < worst.Value.Kind) worst = (kind, fields);
        }
        if (worst is not { } found) return null;
        var returnPaths = new List<string>();
        AddAddresses(returnPaths, message.Headers, "X-Original-To", "Delivered-To", "Envelope-To", "To");
        // Postfix names the envelope sender in the per-message group.
        AddAddresses(returnPaths, groups[0], "X-Postfix-Sender");
        if (original is not null) AddAddresses(returnPaths, original.Headers, "Return-Path");
        return new BounceReport(found.Kind, Address(found.Fields["Final-Recipient"] ?? found.Fields["Original-Recipient"]),
            StatusCode(found.Fields["Status"]), Unfold(found.Fields["Diagnostic-Code"]), returnPaths, original?.MessageId);
    }

    private static BounceReport FromFeedback(MimeMessage message, MessageFeedbackReport part, MimeMessage? original)
    {
        var fields = part.Fields;
        var type = fields["Feedback-Type"]?.Trim() ?? "";
        var returnPaths = new List<string>();
        AddAddresses(returnPaths, fields, "Original-Mail-From");
        if (original is not null) AddAddresses(returnPaths, original.Headers, "Return-Path");
        AddAddresses(returnPaths, message.Headers, "X-Original-To", "Delivered-To", "To");
        var recipient = Address(fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.FirstOrDefault()?.Address;
        return new BounceReport(ComplaintTypes.Contains(type) ? BounceKind.Complaint : BounceKind.OtherFeedback, recipient, type,
            Unfold(fields["User-Agent"]), returnPaths, original?.MessageId);
    }

    /// <summary>RFC 3464 2.3.3 and 2.3.4: the action taken for a recipient, and its status class (2, 4 or 5).</summary>
    private static BounceKind? Classify(string? action, string? status) => action?.Trim().ToLowerInvariant() switch
    {
        "failed" when status?.StartsWith("5.", StringComparison.Ordinal) == true => BounceKind.HardBounce,
        // "failed" with a 4.x.x status, or none, is not proof that the address is bad: it is counted, not suppressed.
        "failed" or "delayed" => BounceKind.SoftBounce,
        "delivered" or "relayed" or "expanded" => BounceKind.Delivered,
        _ => null,
    };

    /// <summary>"5.1.1" from "5.1.1" or "5.1.1 (user unknown)".</summary>
    private static string? StatusCode(string? value) =>
        value?.Trim().Split([' ', '\t', '('], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    /// <summary>The first report part, at the top or nested (some servers wrap the report in multipart/mixed).</summary>
    private static MultipartReport? FindReport(MimeEntity? entity) => entity switch
    {
        MultipartReport report => report,
        Multipart multipart => multipart.Select(FindReport).FirstOrDefault(r => r is not null),
        _ => null,
    };

    private static void AddAddresses(List<string> into, HeaderList headers, params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var header in headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                if (Address(header.Value) is { } address && !into.Contains(address, StringComparer.OrdinalIgnoreCase)) into.Add(address);
            }
        }
    }

    /// <summary>The address in "rfc822; a@b", "&lt;a@b&gt;", "Name &lt;a@b&gt;" or "a@b"; null for an empty one ("&lt;&gt;").</summary>
    private static string? Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        int semicolon = text.IndexOf(';');
        if (semicolon >= 0 && !text[..semicolon].Contains('@')) text = text[(semicolon + 1)..].Trim();
        if (MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address.Contains('@')) return mailbox.Address;
        text = text.Trim('<', '>', ' ');
        return text.Contains('@') ? text : null;
    }

    private static string? Unfold(string? value) =>
        value is null ? null : string.Join(' ', value.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
