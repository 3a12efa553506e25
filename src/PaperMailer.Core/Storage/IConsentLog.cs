using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>Append-only record of consent: requests, confirmations, preference changes, unsubscriptions.</summary>
public interface IConsentLog
{
    Task AddAsync(ConsentRecord record, CancellationToken cancellationToken = default);

    /// <summary>Adds all records in one transaction (an import that changes thousands of profiles).</summary>
    Task AddManyAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsentRecord>> ListAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>How many records of this kind the subscriber has since a time (for per-address rate limits).</summary>
    Task<int> CountSinceAsync(long subscriberId, string kind, DateTimeOffset since, CancellationToken cancellationToken = default);
}
