namespace PaperMailer.Domain;

/// <summary>Where one subscriber's digest for one local date stands. The ledger keeps exactly one row per pair.</summary>
public enum DeliveryStatus
{
    /// <summary>Decided and papers reserved; no run holds it (an attempt given back at shutdown returns here).</summary>
    Queued,
    /// <summary>
    /// Claimed by one run (<see cref="DigestDelivery.ClaimedBy"/>) until <see cref="DigestDelivery.LeaseUntil"/>: that run
    /// alone may send it. A claim whose lease ran out (its run died) is taken over and resent as the same message.
    /// </summary>
    Sending,
    Sent,
    /// <summary>A temporary failure; retried later with the same Message-ID.</summary>
    Deferred,
    /// <summary>
    /// A permanent failure (5xx, a capability the server lacks, or out of attempts); not retried. Its papers are given
    /// back to the subscriber's next digest, and only a refusal of the address counts towards suppressing it.
    /// </summary>
    Failed,
    /// <summary>Nothing relevant that day: no email, but the day is decided.</summary>
    NothingToSend,
    /// <summary>The subscriber left (or bounced) before a pending digest went out.</summary>
    Cancelled,
    /// <summary>
    /// A feed-only subscriber's digest: its papers are theirs (never given again) and appear in their feed and archive,
    /// but no email is sent, so it is never counted as sent mail.
    /// </summary>
    FeedOnly,
}

public sealed record DigestDelivery
{
    public long Id { get; init; }
    public long SubscriberId { get; init; }
    public required string Email { get; init; }
    public DateOnly DigestDate { get; init; }
    public required string MessageId { get; init; }
    public IReadOnlyList<string> PaperIds { get; init; } = [];
    /// <summary>
    /// Why each paper was chosen: the profile terms it matched when the digest was decided, in <see cref="PaperIds"/>'
    /// order. The web copy and the feed show these; null for digests recorded before they were kept.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>>? PaperMatches { get; init; }
    /// <summary>How many of the last <see cref="PaperIds"/> form the "Trending" section; the ones before are the personal section.</summary>
    public int TrendingCount { get; init; }
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
    /// <summary>The run that holds the digest while it is <see cref="DeliveryStatus.Sending"/>; null otherwise.</summary>
    public string? ClaimedBy { get; init; }
    /// <summary>Until when <see cref="ClaimedBy"/> holds it; after that another run may take it over.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>
    /// The digest's window of candidates: papers first collected in [<see cref="WindowFrom"/>, <see cref="CutoffAt"/>).
    /// The subscriber's next digest starts where this one's cut-off is; null for digests recorded before windows.
    /// </summary>
    public DateTimeOffset? WindowFrom { get; init; }
    public DateTimeOffset? CutoffAt { get; init; }
    /// <summary>The failure was the server refusing the address: only these count towards suppressing it.</summary>
    public bool RecipientFailure { get; init; }

    public bool IsPending => Status is DeliveryStatus.Queued or DeliveryStatus.Sending or DeliveryStatus.Deferred;

    /// <summary>
    /// Whether the digest stands: pending, sent or decided empty. A failed or cancelled one does not: its papers go back
    /// to the subscriber's next digest, and it is not the "previous digest" whose cut-off starts the next window.
    /// </summary>
    public bool Stands => Status is not (DeliveryStatus.Failed or DeliveryStatus.Cancelled);
}
