using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// The record of every digest: one row per subscriber and local date, plus which papers each subscriber has been
/// sent. Rows are written before and after every attempt so that a crash never loses track of a send.
/// </summary>
public interface IDeliveryLedger
{
    Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default);

    /// <summary>Latest digest date recorded for the subscriber (any status), or null.</summary>
    Task<DateOnly?> GetLatestDigestDateAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Ids of every paper ever reserved for the subscriber; those are never candidates again.</summary>
    Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically records a new digest (status <see cref="DeliveryStatus.Queued"/>, or
    /// <see cref="DeliveryStatus.NothingToSend"/> with no papers) and reserves its papers for the subscriber.
    /// Returns null when a digest for that subscriber and date already exists, so two runs can never both send.
    /// </summary>
    Task<DigestDelivery?> TryCreateAsync(DigestDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Marks the start of an attempt (status Sending, attempts + 1) before any byte goes to the transport.</summary>
    Task<DigestDelivery> BeginAttemptAsync(long deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the outcome of an attempt with the server's reply, and the reply's SMTP code and enhanced status code
    /// (e.g. 550 and "5.1.1") when a server gave them.
    /// </summary>
    Task RecordOutcomeAsync(long deliveryId, DeliveryStatus status, string? reply, int? statusCode, string? enhancedStatusCode,
        DateTimeOffset at, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default);

    /// <summary>Queued, Sending and Deferred rows; with <paramref name="dueAt"/>, only those whose retry time has come.</summary>
    Task<IReadOnlyList<DigestDelivery>> ListPendingAsync(DateTimeOffset? dueAt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many of the subscriber's digests ended <see cref="DeliveryStatus.Failed"/>, not counting
    /// <paramref name="exceptDeliveryId"/> (the one being recorded): what suppression after repeated failures counts.
    /// </summary>
    Task<int> CountFailedAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default);
}
