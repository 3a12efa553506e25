using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Planning;

/// <summary>Subscribers' ratings with the rated papers' text, which is what ranking learns from.</summary>
public sealed class SubscriberRatings(IRatingStore ratings, IPaperStore papers)
{
    /// <summary>
    /// The most recent ratings used per subscriber: tastes move, and a bound keeps a page of due subscribers one
    /// modest read however long someone has been clicking.
    /// </summary>
    public const int MaxUsed = 200;

    /// <summary>The subscribers' rated papers, newest rating first; a paper no longer stored is skipped.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<RatedPaper>>> ReadAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        var found = await ratings.GetAsync(subscriberIds, MaxUsed, cancellationToken);
        if (found.Count == 0) return new Dictionary<long, IReadOnlyList<RatedPaper>>();
        var ids = found.Values.SelectMany(r => r).Select(r => r.PaperId).ToHashSet(StringComparer.Ordinal);
        var byId = (await papers.GetByIdsAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<RatedPaper>)f.Value
            .Where(r => byId.ContainsKey(r.PaperId))
            .Select(r => new RatedPaper(byId[r.PaperId], r.Vote, r.RatedAt))
            .ToList());
    }

    public async Task<IReadOnlyList<RatedPaper>> ReadAsync(long subscriberId, CancellationToken cancellationToken) =>
        (await ReadAsync([subscriberId], cancellationToken)).GetValueOrDefault(subscriberId) ?? [];
}
