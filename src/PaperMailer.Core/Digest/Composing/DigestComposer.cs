using Microsoft.Extensions.Options;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Digest.Composing;

/// <summary>
/// What a digest says: ranks a subscriber's window of papers and renders the result with their links. One composer
/// serves a first send, a retry (the same papers in the same order, explained again) and a preview.
/// </summary>
public sealed class DigestComposer(PaperRanker ranker, DigestRenderer renderer, SubscriberLinks links, ITopicCatalog topics, IPaperStore papers,
    IOptions<DigestOptions> options)
{
    private readonly DigestOptions _options = options.Value;

    /// <summary>
    /// Looks at the template folder (an operator's edit is taken up here) and throws <see cref="TemplateException"/>
    /// when there are no usable templates: nothing is decided then. Called once before a run's or a preview's renders,
    /// which then render with the templates as found here (or with the last good version, should these fail).
    /// </summary>
    public void Validate() => renderer.Validate();

    /// <summary>The run's papers: first collected within the statistics window before <paramref name="cutoff"/>.</summary>
    public async Task<RunPapers> LoadAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        new(await papers.GetFirstSeenBetweenAsync(cutoff - _options.StatisticsWindow, cutoff, cancellationToken), cutoff);

    /// <summary>
    /// The best papers of the plan's window for the subscriber's profile, best first, and for a "Trending today"
    /// subscriber the window's most upvoted other papers after them.
    /// </summary>
    public DigestPapers Rank(DigestPlan plan, RunPapers run)
    {
        var subscriber = plan.Subscriber;
        var profile = RankingProfile.For(subscriber, topics.All);
        var (from, to, sent) = (plan.WindowFrom, plan.CutoffAt, plan.SentPapers);
        bool InWindow(Paper paper) => paper.FirstSeenAt >= from && paper.FirstSeenAt < to && !sent.Contains(paper.Id);
        // A trending-only subscriber has no profile to rank against.
        var personal = subscriber.Topics.Count + subscriber.Keywords.Count == 0 ? [] : ranker.Rank(run.Index, profile, subscriber.MaxPapers, InWindow);
        if (!subscriber.Trending) return new DigestPapers(personal, []);
        var taken = personal.Select(r => r.Paper.Id).ToHashSet(StringComparer.Ordinal);
        var excluded = ranker.Excluded(run.Index, profile);
        return new DigestPapers(personal, TrendingSelection.Pick(run.Trending,
            paper => InWindow(paper) && !taken.Contains(paper.Id) && !excluded.Contains(paper.Id), _options.TrendingPapers));
    }

    /// <summary>A recorded digest's papers in their recorded order and sections, with their explanations worked out again.</summary>
    public async Task<DigestPapers> ExplainAsync(Subscriber subscriber, DigestDelivery delivery, RunPapers run, CancellationToken cancellationToken)
    {
        var paperIds = delivery.PaperIds;
        var profile = RankingProfile.For(subscriber, topics.All);
        List<Paper> ordered;
        PaperIndex index;
        if (paperIds.All(id => run.Find(id) is not null))
        {
            ordered = paperIds.Select(id => run.Find(id)!).ToList();
            index = run.Index;
        }
        else
        {
            // Older than the run's papers (a retry from long ago): a small index of its own.
            var stored = (await papers.GetByIdsAsync(paperIds, cancellationToken)).ToDictionary(p => p.Id);
            ordered = paperIds.Where(stored.ContainsKey).Select(id => stored[id]).ToList();
            index = PaperIndex.Build(ordered);
        }
        var trendingIds = paperIds.Skip(paperIds.Count - Math.Min(delivery.TrendingCount, paperIds.Count)).ToHashSet(StringComparer.Ordinal);
        var wanted = ordered.Select(p => p.Id).Where(id => !trendingIds.Contains(id)).ToHashSet(StringComparer.Ordinal);
        var explained = ranker.Rank(index, profile, wanted.Count, paper => wanted.Contains(paper.Id), applyThreshold: false).ToDictionary(r => r.Paper.Id);
        return new DigestPapers(
            ordered.Where(p => wanted.Contains(p.Id)).Select(p => explained.GetValueOrDefault(p.Id) ?? new RankedPaper(p, 0, [])).ToList(),
            TrendingSelection.Pick(ordered, p => trendingIds.Contains(p.Id), trendingIds.Count));
    }

    /// <summary>The digest's three parts with the templates found by the last <see cref="Validate"/>.</summary>
    public (RenderedDigest Rendered, string UnsubscribeUrl) Render(Subscriber subscriber, DateOnly date, DigestPapers digestPapers)
    {
        var unsubscribeUrl = links.UnsubscribeUrl(subscriber.Id);
        var content = new DigestContent(subscriber, date, digestPapers.Personal, unsubscribeUrl) { ManageUrl = links.ManageUrl(subscriber.Id), Trending = digestPapers.Trending };
        var rendered = renderer.Render(content, checkFolder: false);
        return (rendered, unsubscribeUrl);
    }
}
