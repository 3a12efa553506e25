namespace PaperMailer.Bounces;

/// <summary>What a delivery report or a feedback report says about one of our messages.</summary>
public enum BounceKind
{
    /// <summary>DSN, Action: failed with a 5.x.x status: the address does not work; it is suppressed.</summary>
    HardBounce,

    /// <summary>DSN, Action: delayed, or a 4.x.x status: a temporary problem; counted, nothing else.</summary>
    SoftBounce,

    /// <summary>DSN, Action: delivered, relayed or expanded: a success notice; nothing to do.</summary>
    Delivered,

    /// <summary>ARF, Feedback-Type abuse, fraud, virus or other: the reader reported the digest; they are unsubscribed.</summary>
    Complaint,

    /// <summary>ARF of another type (not-spam, auth-failure, ...): recorded, nothing to do.</summary>
    OtherFeedback,
}

/// <param name="Kind">What the report says.</param>
/// <param name="Recipient">The address the report is about (Final-Recipient, or the complaint's Original-Rcpt-To), when it says.</param>
/// <param name="Status">The DSN status code (e.g. 5.1.1), or the ARF Feedback-Type.</param>
/// <param name="Detail">The DSN Diagnostic-Code, or the ARF User-Agent (who reported).</param>
/// <param name="ReturnPaths">Addresses that may be the return path of our message, most telling first.</param>
/// <param name="OriginalMessageId">The Message-ID of the message reported on, without angle brackets, when it is included.</param>
public sealed record BounceReport(BounceKind Kind, string? Recipient, string? Status, string? Detail, IReadOnlyList<string> ReturnPaths, string? OriginalMessageId);
