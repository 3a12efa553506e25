using PaperMailer.Domain;

namespace PaperMailer.Storage;

public interface IPaperStore
{
    /// <summary>
    /// Stores papers in one transaction: new ids are inserted with <paramref name="seenAt"/> as first-seen time,
    /// known ids are updated in place and keep their first-seen time, so a paper is never "new" twice.
    /// </summary>
    Task<PaperUpsertSummary> UpsertAsync(IReadOnlyList<Paper> papers, DateTimeOffset seenAt, CancellationToken cancellationToken = default);

    /// <summary>Papers first stored in [from, to), oldest first.</summary>
    Task<IReadOnlyList<Paper>> GetFirstSeenBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Paper>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>All papers, most recently first seen first.</summary>
    Task<IReadOnlyList<Paper>> ListAsync(int? limit = null, CancellationToken cancellationToken = default);
}

public sealed record PaperUpsertSummary(int New, int Updated, int Unchanged)
{
    public int Total => New + Updated + Unchanged;
}
