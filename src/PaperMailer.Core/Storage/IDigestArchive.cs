using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// A subscriber's past digests as the ledger recorded them, for reading back: the web copy of one digest, the archive
/// on their preferences page, their Atom feed. Only digests they were given count (mailed, or recorded for the feed).
/// </summary>
public interface IDigestArchive
{
    /// <summary>One digest by its ledger id, whatever its status; null when there is none.</summary>
    Task<DigestDelivery?> GetAsync(long deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The subscriber's given digests, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DigestDelivery>> ListGivenAsync(long subscriberId, int max, CancellationToken cancellationToken = default);

    /// <summary>Whether the subscriber was given no digest before <paramref name="deliveryId"/>: that one is their first.</summary>
    Task<bool> IsFirstAsync(long subscriberId, long deliveryId, CancellationToken cancellationToken = default);
}
