using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>
/// A few recent paper titles per topic for the home page, so visitors see what a topic brings before picking it.
/// Ranked with the same ranker and the same reading of the topic as a subscriber's digest (its keywords whole, its
/// context words only raising), over the last 30 days' papers. Recomputed when a collection has succeeded since (each
/// source's last success is in the database, so a collection on any node of a cluster counts), and at least every
/// ten minutes, as the 30 days move on.
/// </summary>
public sealed class TopicExamples(IPaperStore papers, ISourceStatusLog sources, ITopicCatalog topics, PaperRanker ranker, StoredPaperVectors vectors,
    StoredProfileVectors profileVectors, TimeProvider clock, IOptions<SubscriptionOptions> options)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (DateTimeOffset At, DateTimeOffset? Collected, IReadOnlyDictionary<string, IReadOnlyList<string>> Titles)? _cached;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var collected = (await sources.ListAsync(cancellationToken)).Max(s => s.LastSuccessAt);
        if (Fresh(_cached, now, collected) is { } hit) return hit;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_cached, now, collected) is { } again) return again;
            var index = PaperIndex.Build(await papers.GetFirstSeenBetweenAsync(now - TimeSpan.FromDays(30), now + TimeSpan.FromSeconds(1), cancellationToken));
            var paperVectors = await vectors.ForAsync(index, cancellationToken);
            var profiles = topics.All.ToDictionary(t => t.Id, RankingProfile.ForTopic, StringComparer.OrdinalIgnoreCase);
            paperVectors = await profileVectors.BlendingAsync(paperVectors, profiles.Values, cancellationToken);
            var titles = topics.All.ToDictionary(
                t => t.Id,
                t => (IReadOnlyList<string>)ranker.Rank(index, profiles[t.Id], options.Value.ExamplePapersPerTopic, vectors: paperVectors)
                    .Select(r => r.Paper.Title).ToList(),
                StringComparer.OrdinalIgnoreCase);
            _cached = (now, collected, titles);
            return titles;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? Fresh(
        (DateTimeOffset At, DateTimeOffset? Collected, IReadOnlyDictionary<string, IReadOnlyList<string>> Titles)? cached, DateTimeOffset now, DateTimeOffset? collected) =>
        cached is { } c && c.Collected == collected && now - c.At < Freshness ? c.Titles : null;
}
