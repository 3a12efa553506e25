using Microsoft.Extensions.Options;
using PaperMailer.Domain;

namespace PaperMailer.Rank;

/// <summary>
/// A paper chosen for a profile: the score it was ordered by, the profile keywords it matched (as typed), and for
/// each of those where it matched (<see cref="Matches"/>, for explanations and highlighting).
/// </summary>
public sealed record RankedPaper(Paper Paper, double Score, IReadOnlyList<string> Matched)
{
    /// <summary>Relevance alone, before upvotes and recency; the threshold applies to this.</summary>
    public double Relevance { get; init; }

    public IReadOnlyList<KeywordMatch> Matches { get; init; } = [];
}

/// <summary>
/// Ranks indexed papers for one profile. Pure and deterministic: same inputs, same order (ties go to the lower arXiv
/// id). A paper is kept only when it matches at least one keyword, contains no exclusion (whole words) and its
/// relevance reaches <see cref="RankingOptions.MinScore"/>. Relevance is the sum of the matched keywords' BM25F
/// scores, raised for covering more of the profile and for boosted categories and authors; upvotes and recency then
/// multiply it by at most 1 + UpvoteWeight + RecencyWeight, so they order relevant papers and never admit an irrelevant
/// one. Of near-duplicate papers only the best placed is kept. Explanations are built for the selected papers only.
/// </summary>
public sealed class PaperRanker(IOptions<RankingOptions> options)
{
    private readonly RankingOptions _options = options.Value;

    [ThreadStatic] private static RankScratch? _scratch;

    public IReadOnlyList<RankedPaper> Rank(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible = null, bool applyThreshold = true)
    {
        if (top <= 0 || profile.Keywords.Count == 0 || index.Papers.Count == 0) return [];
        var scratch = _scratch is { } s && s.Capacity >= index.Papers.Count ? s : _scratch = new RankScratch(index.Papers.Count);
        var stamp = scratch.NextStamp();

        foreach (var exclusion in profile.Exclusions)
        {
            foreach (var paper in index.Keyword(exclusion, _options).Papers) scratch.Excluded[paper] = stamp;
        }
        var keywords = new KeywordPostings[profile.Keywords.Count];
        var touched = scratch.Touched;
        touched.Clear();
        for (var k = 0; k < keywords.Length; k++)
        {
            var postings = keywords[k] = index.Keyword(profile.Keywords[k], _options);
            var papers = postings.Papers;
            var scores = postings.Scores;
            for (var i = 0; i < papers.Length; i++)
            {
                var paper = papers[i];
                if (scratch.Excluded[paper] == stamp) continue;
                if (scratch.Seen[paper] != stamp)
                {
                    scratch.Seen[paper] = stamp;
                    scratch.Sum[paper] = 0;
                    scratch.Count[paper] = 0;
                    touched.Add(paper);
                }
                scratch.Sum[paper] += scores[i];
                scratch.Count[paper]++;
            }
        }

        var selector = new TopSelector(index, top, touched.Count);
        var secondary = index.SecondaryFactors(_options);
        var coverageStep = keywords.Length > 1 ? _options.CoverageBonus / (keywords.Length - 1) : 0;
        foreach (var paper in touched)
        {
            var indexed = index.Papers[paper];
            if (eligible is not null && !eligible(indexed.Paper)) continue;
            var relevance = scratch.Sum[paper] * (1 + coverageStep * (scratch.Count[paper] - 1)) * Boost(profile, indexed.Paper);
            if (applyThreshold && relevance < _options.MinScore) continue;
            selector.Offer(paper, relevance * secondary[paper], relevance);
        }

        var selected = selector.Best;
        var ranked = new List<RankedPaper>(selected.Count);
        foreach (var (paper, score, relevance) in selected)
        {
            var matches = new List<KeywordMatch>();
            for (var k = 0; k < keywords.Length; k++)
            {
                if (keywords[k].MatchFor(paper) is { } match) matches.Add(match);
            }
            ranked.Add(new RankedPaper(index.Papers[paper].Paper, Math.Round(score, 4), matches.Select(m => m.Keyword).ToList())
            {
                Relevance = Math.Round(relevance, 4),
                Matches = matches,
            });
        }
        return ranked;
    }

    private double Boost(RankingProfile profile, Paper paper)
    {
        if (profile.Categories.Count == 0 && profile.Authors.Count == 0) return 1;
        var boost = 1.0;
        if (profile.Categories.Any(c => paper.Categories.Contains(c, StringComparer.OrdinalIgnoreCase))) boost += _options.CategoryBoost;
        if (profile.Authors.Count > 0 && paper.Authors.Any(a => profile.Authors.Contains(string.Join(' ', Text.TextAnalyzer.Tokens(a)), StringComparer.Ordinal)))
        {
            boost += _options.AuthorBoost;
        }
        return boost;
    }
}
