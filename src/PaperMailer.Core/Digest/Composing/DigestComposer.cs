using Microsoft.Extensions.Options;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
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
    StoredPaperVectors vectors, StoredProfileVectors profileVectors, IOptions<DigestOptions> options)
{
    private readonly DigestOptions _options = options.Value;

    /// <summary>
    /// Looks at the template folder (an operator's edit is taken up here) and throws <see cref="TemplateException"/>
    /// when there are no usable templates: nothing is decided then. Called once before a run's or a preview's renders,
    /// which then render with the templates as found here (or with the last good version, should these fail).
    /// </summary>
    public void Validate() => renderer.Validate();

    /// <summary>
    /// The run's papers: first collected within the statistics window before <paramref name="cutoff"/>, with their
    /// vectors when ranking blends in similarity of meaning (read in one query; any paper still without one is embedded
    /// now).
    /// </summary>
    public async Task<RunPapers> LoadAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var run = new RunPapers(await papers.GetFirstSeenBetweenAsync(cutoff - _options.StatisticsWindow, cutoff, cancellationToken), cutoff);
        run.Vectors = await vectors.ForAsync(run.Index, cancellationToken);
        return run;
    }

    /// <summary>What the plan's subscriber is ranked for: their profile, with their ratings.</summary>
    public RankingProfile ProfileOf(DigestPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return RankingProfile.For(plan.Subscriber.Profile, topics.All) with { Ratings = plan.Ratings };
    }

    /// <summary>
    /// Before ranking these profiles against the run's papers: their keywords' and topics' vectors, read from the store
    /// or embedded once (<see cref="StoredProfileVectors"/>). Should the model fail, the run ranks on words from here on.
    /// </summary>
    public async Task PrepareAsync(IEnumerable<RankingProfile> profiles, RunPapers run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Vectors = await profileVectors.BlendingAsync(run.Vectors, profiles, cancellationToken);
    }

    /// <summary>
    /// The best papers of the plan's window for the subscriber's profile (<see cref="ProfileOf"/>, unless given), best
    /// first, and for a "Trending today" subscriber the window's most upvoted other papers after them.
    /// </summary>
    public DigestPapers Rank(DigestPlan plan, RunPapers run, RankingProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        var subscriber = plan.Subscriber;
        profile ??= ProfileOf(plan);
        var (from, to, sent) = (plan.WindowFrom, plan.CutoffAt, plan.SentPapers);
        bool InWindow(Paper paper) => paper.FirstSeenAt >= from && paper.FirstSeenAt < to && !sent.Contains(paper.Id);
        // A trending-only subscriber has no profile to rank against.
        var personal = subscriber.Profile.Topics.Count + subscriber.Profile.Keywords.Count == 0 ? [] : ranker.Rank(run.Index, profile, subscriber.MaxPapers, InWindow, vectors: run.Vectors);
        if (!subscriber.Profile.Trending) return new DigestPapers(personal, []);
        var taken = personal.Select(r => r.Paper.Id).ToHashSet(StringComparer.Ordinal);
        var excluded = ranker.Excluded(run.Index, profile);
        return new DigestPapers(personal, TrendingSelection.Pick(run.Trending,
            paper => InWindow(paper) && !taken.Contains(paper.Id) && !excluded.Contains(paper.Id), _options.TrendingPapers));
    }

    /// <summary>A recorded digest's papers in their recorded order and sections, with their explanations worked out again.</summary>
    private async Task<DigestPapers> ExplainAsync(Subscriber subscriber, DigestDelivery delivery, RunPapers run, CancellationToken cancellationToken)
    {
        var paperIds = delivery.PaperIds;
        var profile = RankingProfile.For(subscriber.Profile, topics.All);
        List<Paper> ordered;
        PaperIndex index;
        PaperVectors? indexVectors;
        if (paperIds.All(id => run.Find(id) is not null))
        {
            ordered = paperIds.Select(id => run.Find(id)!).ToList();
            index = run.Index;
            indexVectors = run.Vectors;
        }
        else
        {
            // Older than the run's papers (a retry from long ago): a small index of its own.
            var stored = (await papers.GetByIdsAsync(paperIds, cancellationToken)).ToDictionary(p => p.Id);
            ordered = paperIds.Where(stored.ContainsKey).Select(id => stored[id]).ToList();
            index = PaperIndex.Build(ordered);
            indexVectors = await vectors.ForAsync(index, cancellationToken);
        }
        indexVectors = await profileVectors.BlendingAsync(indexVectors, [profile], cancellationToken);
        var trendingIds = paperIds.Skip(paperIds.Count - Math.Min(delivery.TrendingCount, paperIds.Count)).ToHashSet(StringComparer.Ordinal);
        var wanted = ordered.Select(p => p.Id).Where(id => !trendingIds.Contains(id)).ToHashSet(StringComparer.Ordinal);
        var explained = ranker.Rank(index, profile, wanted.Count, paper => wanted.Contains(paper.Id), applyThreshold: false, indexVectors).ToDictionary(r => r.Paper.Id);
        return new DigestPapers(
            ordered.Where(p => wanted.Contains(p.Id)).Select(p => explained.GetValueOrDefault(p.Id) ?? new RankedPaper(p, 0, [])).ToList(),
            TrendingSelection.Pick(ordered, p => trendingIds.Contains(p.Id), trendingIds.Count));
    }

    /// <summary>The digest's three parts with the templates found by the last <see cref="Validate"/>.</summary>
    public (RenderedDigest Rendered, string UnsubscribeUrl) Render(Subscriber subscriber, DateOnly date, DigestPapers digestPapers, DigestEdition edition)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(digestPapers);
        ArgumentNullException.ThrowIfNull(edition);
        var unsubscribeUrl = links.UnsubscribeUrl(subscriber.Id);
        var content = new DigestContent(subscriber, date, digestPapers.Personal, unsubscribeUrl, links.ManageUrl(subscriber.Id))
        {
            Trending = digestPapers.Trending,
            WebUrl = edition.DeliveryId > 0 && !edition.InBrowser ? links.DigestUrl(edition.DeliveryId) : null,
            FeedUrl = links.FeedUrl(subscriber.Id),
            FirstDigest = edition.FirstDigest,
            RatingUrl = (paperId, vote) => links.RateUrl(subscriber.Id, paperId, vote),
        };
        return (renderer.Render(content, checkFolder: false), unsubscribeUrl);
    }

    /// <summary>
    /// A recorded digest's papers as it gave them: in its order and sections (personal, then "Trending today"), explained
    /// again for the highlights, with why each is there as recorded when it was decided (what the email said),
    /// whatever the profile is now.
    /// </summary>
    /// <param name="run">A run's papers, when a run retries the digest (most of its papers are there); else they are read from the store.</param>
    public async Task<DigestPapers> RecordedAsync(Subscriber subscriber, DigestDelivery delivery, RunPapers? run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var explained = await ExplainAsync(subscriber, delivery, run ?? new RunPapers([], DateTimeOffset.MinValue), cancellationToken);
        if (delivery.PaperMatches is not { } recorded || recorded.Count != delivery.PaperIds.Count) return explained;
        var matches = delivery.PaperIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => recorded[x.i], StringComparer.Ordinal);
        IReadOnlyList<RankedPaper> AsRecorded(IReadOnlyList<RankedPaper> section) => section.Select(r => PaperExplanation.AsRecorded(r, matches[r.Paper.Id])).ToList();
        return new DigestPapers(AsRecorded(explained.Personal), AsRecorded(explained.Trending));
    }
}
