using PaperMailer.Rank.Feedback;

namespace PaperMailer.Storage;

/// <summary>One subscriber's vote on one paper, as stored.</summary>
public sealed record Rating(long SubscriberId, string PaperId, Vote Vote, DateTimeOffset RatedAt);

/// <summary>
/// The ratings table: who rated which paper how, and when. One row per subscriber and paper: voting again replaces
/// the vote (the latest wins). Nothing else is kept about a rating (no address, no browser).
/// </summary>
public interface IRatingStore
{
    /// <summary>Records the vote, replacing any earlier vote of the subscriber on the paper.</summary>
    Task RateAsync(Rating rating, CancellationToken cancellationToken = default);

    /// <summary>The subscribers' ratings, newest first, at most <paramref name="perSubscriber"/> each; subscribers without ratings are absent.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<Rating>>> GetAsync(IReadOnlyCollection<long> subscriberIds, int perSubscriber, CancellationToken cancellationToken = default);

    /// <summary>Forgets every rating of the subscriber; returns how many there were.</summary>
    Task<int> ClearAsync(long subscriberId, CancellationToken cancellationToken = default);
}
