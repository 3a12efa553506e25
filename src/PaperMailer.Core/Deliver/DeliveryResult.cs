using System.Text.RegularExpressions;

namespace PaperMailer.Deliver;

public enum DeliveryOutcome { Sent, Deferred, Failed }

/// <summary>What became of one send.</summary>
/// <param name="Reply">What the server (or folder) said, e.g. "250 2.0.0 Ok: queued as 4Xy" or "Connection refused (127.0.0.1:25)".</param>
/// <param name="StatusCode">The SMTP reply code that decided the outcome (RFC 5321 4.2), e.g. 550; null when no server replied.</param>
/// <param name="EnhancedStatusCode">The enhanced status code of that reply (RFC 3463), e.g. "5.1.1"; null when the server gave none.</param>
public sealed partial record DeliveryResult(DeliveryOutcome Outcome, string Reply, int? StatusCode = null, string? EnhancedStatusCode = null)
{
    /// <summary>
    /// The server refused the recipient's address itself (a 5xx to RCPT TO, or an RFC 3463 address or mailbox status,
    /// 5.1.x or 5.2.x): the one kind of failure that is the recipient's and counts towards suppressing the address.
    /// A failure on our side (a capability the server lacks, a message it will not take) is not.
    /// </summary>
    public bool RecipientRefused { get; init; }

    /// <summary>Whether this failure counts against the address (see <see cref="RecipientRefused"/>).</summary>
    public bool IsRecipientsFault => Outcome == DeliveryOutcome.Failed && StatusCode is >= 500 and < 600
        && (RecipientRefused || EnhancedStatusCode is { } e && (e.StartsWith("5.1.", StringComparison.Ordinal) || e.StartsWith("5.2.", StringComparison.Ordinal)));

    public static DeliveryResult Sent(string reply) => new(DeliveryOutcome.Sent, reply);

    public static DeliveryResult Deferred(string reply) => new(DeliveryOutcome.Deferred, reply);

    public static DeliveryResult Failed(string reply) => new(DeliveryOutcome.Failed, reply);

    /// <summary>
    /// A server's reply as the ledger keeps it: "550 5.1.1 &lt;ann@example.org&gt;: Recipient address rejected", the
    /// lines of a multi-line reply joined by spaces, with its code and enhanced status code in their own fields.
    /// <paramref name="note"/>, when given, follows in parentheses: what the operator can do about it.
    /// </summary>
    public static DeliveryResult FromReply(DeliveryOutcome outcome, int code, string text, string? note = null)
    {
        string[] lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Match enhanced = EnhancedStatusPattern().Match(lines.FirstOrDefault() ?? "");
        // An enhanced status code belongs to its reply only when their classes agree (RFC 3463 2: 2.x.x with 2yz, ...).
        string? enhancedCode = enhanced.Success && enhanced.Groups[1].Value[0] - '0' == code / 100 ? enhanced.Groups[1].Value : null;
        // Servers repeat the enhanced status code on every line of a multi-line reply; the ledger keeps it once.
        string oneLine = string.Join(' ', lines.Select((line, i) =>
            i > 0 && enhancedCode is not null && line.StartsWith(enhancedCode + " ", StringComparison.Ordinal) ? line[(enhancedCode.Length + 1)..] : line));
        string reply = $"{code} {oneLine}".TrimEnd();
        return new DeliveryResult(outcome, note is null ? reply : $"{reply} ({note})", code, enhancedCode);
    }

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?: |$)")]
    private static partial Regex EnhancedStatusPattern();
}
