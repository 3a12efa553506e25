namespace PaperMailer.Domain;

/// <summary>Where one subscriber's digest for one local date stands. The ledger keeps exactly one row per pair.</summary>
public enum DeliveryStatus
{
    /// <summary>Decided and papers reserved; not yet attempted.</summary>
    Queued,
    /// <summary>An attempt began and has not reported back (a crash leaves rows here; they are resent as the same message).</summary>
    Sending,
    Sent,
    /// <summary>A temporary failure; retried later with the same Message-ID.</summary>
    Deferred,
    /// <summary>A permanent failure (5xx, or out of attempts); not retried.</summary>
    Failed,
    /// <summary>Nothing relevant that day: no email, but the day is decided.</summary>
    NothingToSend,
    /// <summary>The subscriber left (or bounced) before a pending digest went out.</summary>
    Cancelled,
}

public sealed record DigestDelivery
{
    public long Id { get; init; }
    public long SubscriberId { get; init; }
    public required string Email { get; init; }
    public DateOnly DigestDate { get; init; }
    public required string MessageId { get; init; }
    public IReadOnlyList<string> PaperIds { get; init; } = [];
    public DeliveryStatus Status { get; init; }
    public int Attempts { get; init; }
    /// <summary>What the server (or outbox) said to the last attempt, e.g. "550 5.1.1 &lt;ann@example.org&gt;: Recipient address rejected".</summary>
    public string? LastReply { get; init; }
    /// <summary>The SMTP reply code of that reply, e.g. 550; null when no server replied (unreachable, outbox, not yet attempted).</summary>
    public int? LastStatusCode { get; init; }
    /// <summary>The enhanced status code of that reply (RFC 3463), e.g. "5.1.1"; null when the server gave none.</summary>
    public string? LastEnhancedStatusCode { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }

    public bool IsPending => Status is DeliveryStatus.Queued or DeliveryStatus.Sending or DeliveryStatus.Deferred;
}
