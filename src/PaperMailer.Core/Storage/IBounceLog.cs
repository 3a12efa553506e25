namespace PaperMailer.Storage;

/// <summary>
/// Every bounce and complaint report handled, once each (by its key), and what it was about: the record that makes
/// handling a report idempotent, and where soft bounces are counted.
/// </summary>
public interface IBounceLog
{
    /// <summary>Whether a report with this key was handled already.</summary>
    Task<bool> ContainsAsync(string reportKey, CancellationToken cancellationToken = default);

    /// <summary>Records a handled report; false when one with the same key was recorded first (by another process).</summary>
    Task<bool> AddAsync(BounceRecord record, CancellationToken cancellationToken = default);

    /// <summary>The digest with this ledger id, or null.</summary>
    Task<BouncedDigest?> FindDigestAsync(long deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The digest with this Message-ID (with its angle brackets, as the ledger keeps it), or null.</summary>
    Task<BouncedDigest?> FindDigestByMessageIdAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>How many reports of a kind were recorded for a subscriber.</summary>
    Task<int> CountAsync(long subscriberId, string kind, CancellationToken cancellationToken = default);

    /// <summary>Reports recorded since a time, counted by kind.</summary>
    Task<IReadOnlyDictionary<string, int>> CountByKindSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The subscribers with the most reports of a kind since a time, most first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<(string Email, int Count)>> MostReportedAsync(string kind, DateTimeOffset since, int max, CancellationToken cancellationToken = default);
}

/// <param name="ReportKey">The report's Message-ID, or a hash of its bytes when it has none.</param>
/// <param name="Kind">hard, soft, delivered, complaint, feedback or unmatched (see BounceRecordKinds).</param>
public sealed record BounceRecord(string ReportKey, string Kind, long? DeliveryId, long? SubscriberId, string? Recipient, string? Status, string? Detail, DateTimeOffset At);

/// <summary>A digest a report was about: its ledger row and to whom it went.</summary>
public sealed record BouncedDigest(long DeliveryId, long SubscriberId, string Email);
