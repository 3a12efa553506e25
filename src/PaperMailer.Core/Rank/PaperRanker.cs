using Microsoft.Extensions.Options;
using PaperMailer.Domain;

namespace PaperMailer.Rank;

/// <summary>A paper chosen for a profile, with the score and the profile keywords it matched.</summary>
public sealed record RankedPaper(Paper Paper, double Score, IReadOnlyList<string> Matched);

/// <summary>
/// BM25 ranking of indexed papers for one profile. Pure and deterministic: same inputs, same order (ties go to the
/// lower arXiv id). A paper is kept only when it contains at least one whole keyword (every term of a phrase),
/// contains no excluded term, and scores at least <see cref="RankingOptions.MinScore"/>.
/// </summary>
public sealed class PaperRanker(IOptions<RankingOptions> options)
{
    private readonly RankingOptions _options = options.Value;

    public IReadOnlyList<RankedPaper> Rank(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible = null, bool applyThreshold = true)
    {
        if (top <= 0 || profile.Keywords.Count == 0) return [];
        var queryTerms = profile.Keywords.SelectMany(k => k.Terms).Distinct(StringComparer.Ordinal)
            .Select(term => (Term: term, Idf: index.InverseDocumentFrequency(term))).ToArray();
        var results = new List<RankedPaper>();
        foreach (var paper in index.Papers)
        {
            if (eligible is not null && !eligible(paper.Paper)) continue;
            if (profile.Exclusions.Any(paper.Contains)) continue;
            var matched = profile.Keywords.Where(paper.Contains).Select(k => k.Text).ToList();
            if (matched.Count == 0) continue;
            var score = Score(paper, queryTerms, index.AverageLength);
            if (applyThreshold && score < _options.MinScore) continue;
            results.Add(new RankedPaper(paper.Paper, Math.Round(score, 4), matched));
        }
        return results
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Paper.Id, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    private double Score(IndexedPaper paper, (string Term, double Idf)[] queryTerms, double averageLength)
    {
        double k1 = _options.K1, b = _options.B, score = 0;
        var lengthNorm = k1 * (1 - b + b * paper.Length / averageLength);
        foreach (var (term, idf) in queryTerms)
        {
            if (paper.TermFrequency.TryGetValue(term, out var tf))
            {
                score += idf * tf * (k1 + 1) / (tf + lengthNorm);
            }
        }
        return score;
    }
}
