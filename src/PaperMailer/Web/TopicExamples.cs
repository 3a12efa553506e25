using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>
/// A few recent paper titles per topic for the home page, so visitors see what a topic brings before picking it.
/// Ranked with the same ranker as digests over the last 30 days' papers; recomputed at most every ten minutes.
/// </summary>
public sealed class TopicExamples(IPaperStore papers, ITopicCatalog topics, PaperRanker ranker, TimeProvider clock, IOptions<SubscriptionOptions> options)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyList<string>> Titles)? _cached;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cached is { } hit && now - hit.At < Freshness) return hit.Titles;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && now - again.At < Freshness) return again.Titles;
            var index = PaperIndex.Build(await papers.GetFirstSeenBetweenAsync(now - TimeSpan.FromDays(30), now + TimeSpan.FromSeconds(1), cancellationToken));
            var titles = topics.All.ToDictionary(
                t => t.Id,
                t => (IReadOnlyList<string>)ranker.Rank(index, RankingProfile.From(t.Keywords, t.Exclude), options.Value.ExamplePapersPerTopic)
                    .Select(r => r.Paper.Title).ToList(),
                StringComparer.OrdinalIgnoreCase);
            _cached = (now, titles);
            return titles;
        }
        finally
        {
            _lock.Release();
        }
    }
}
