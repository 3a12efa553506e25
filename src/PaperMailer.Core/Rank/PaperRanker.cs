using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Rank;

/// <summary>
/// A paper chosen for a profile: the score it was ordered by, and why it is there, each part checkable against the
/// paper's title and abstract: the profile keywords (as typed) every word of which the paper contains
/// (<see cref="Matched"/>), the words it contains of keywords it matches only in part (<see cref="Partly"/>), or,
/// for a paper admitted on meaning alone, the keyword it is most similar to (<see cref="SimilarTo"/>).
/// <see cref="Matches"/> says where each keyword matched, for highlighting.
/// </summary>
public sealed record RankedPaper(Paper Paper, double Score, IReadOnlyList<string> Matched)
{
    /// <summary>Relevance alone, before upvotes and recency; the threshold applies to this.</summary>
    public double Relevance { get; init; }

    /// <summary>Every keyword the paper matches, whole or in part (<see cref="KeywordMatch.Partial"/>), in the profile's order.</summary>
    public IReadOnlyList<KeywordMatch> Matches { get; init; } = [];

    /// <summary>
    /// For each keyword the paper contains only some words of, those words as typed ("generation" of "retrieval
    /// augmented generation"): shown as "partly: generation", never as a match.
    /// </summary>
    public IReadOnlyList<string> Partly { get; init; } = [];

    /// <summary>
    /// The profile keyword (as typed) this paper is closest to in meaning, set when it was admitted on similarity alone
    /// (no keyword reached the lexical threshold): "similar in meaning to: …".
    /// </summary>
    public string? SimilarTo { get; init; }

    /// <summary>The paper's similarity (cosine) to <see cref="SimilarTo"/>.</summary>
    public double Similarity { get; init; }
}

/// <summary>
/// Ranks indexed papers for one profile. Pure and deterministic: same inputs, same order (ties go to the lower arXiv
/// id). A paper is kept only when it matches at least one keyword (wholly, or partly: some words of a keyword of
/// several, at <see cref="RankingOptions.PartialFactor"/> of their score), contains no exclusion (whole words) and its
/// relevance reaches <see cref="RankingOptions.MinScore"/>. Relevance is the sum of the matched keywords' BM25F
/// scores, raised for covering more of the profile and for boosted categories and authors; upvotes and recency then
/// multiply it by at most 1 + UpvoteWeight + RecencyWeight, so they order relevant papers and never admit an irrelevant
/// one. A preset topic's keywords count only whole, and its context words only raise papers a keyword matched
/// (<see cref="ContextScores"/>). Of near-duplicate papers only the best placed is kept. Explanations are built for the selected papers only.
/// With <see cref="RankingOptions.Semantic"/> on and the papers' vectors given, the lexical score is blended with
/// similarity in meaning (<see cref="BlendedRanking"/>).
/// </summary>
public sealed class PaperRanker(IOptions<RankingOptions> options, ProfileEmbedder? profileEmbedder = null)
{
    private readonly RankingOptions _options = options.Value;

    [ThreadStatic] private static RankScratch? _scratch;

    /// <summary>
    /// The best <paramref name="top"/> papers for the profile. <paramref name="vectors"/>, one per paper of
    /// <paramref name="index"/> in its order, turn on the semantic blend (when the options allow it); without them
    /// ranking is lexical.
    /// </summary>
    public IReadOnlyList<RankedPaper> Rank(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible = null, bool applyThreshold = true, PaperVectors? vectors = null)
    {
        if (profile.Ratings.Count > 0) return Feedback.LearnedRanking.Rank(Choose, Explain, index, profile, top, eligible, applyThreshold, vectors);
        return Explain(Choose(index, profile, top, eligible, applyThreshold, vectors));
    }

    /// <summary>
    /// The best <paramref name="top"/> papers for the profile, ranked as <see cref="Rank"/> ranks them (blended when
    /// <paramref name="vectors"/> are given and the options allow it), read where the ranker keeps them (no result
    /// records are made): valid until this thread ranks again.
    /// </summary>
    public RankedSelection Select(PaperIndex index, RankingProfile profile, int top, PaperVectors? vectors = null) =>
        Choose(index, profile, top, eligible: null, applyThreshold: true, vectors);

    /// <summary>
    /// The ids of the indexed papers the profile's exclusions rule out (as ranking rules them out): for lists that are
    /// not ranked by relevance, such as "Trending today", which still leave out what the subscriber does not want.
    /// </summary>
    public IReadOnlySet<string> Excluded(PaperIndex index, RankingProfile profile)
    {
        if (profile.Exclusions.Count == 0) return new HashSet<string>();
        var cache = index.KeywordCache(_options);
        return profile.Exclusions.SelectMany(e => index.Keyword(e, _options, cache).Papers).Select(p => index.Papers[p].Paper.Id).ToHashSet(StringComparer.Ordinal);
    }

    private RankedSelection Choose(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible, bool applyThreshold, PaperVectors? vectors)
    {
        if (_options.Semantic && vectors is not null && profileEmbedder is not null && top > 0 && profile.Keywords.Count > 0)
        {
            return RankBlended(index, profile, profileEmbedder.For(profile), vectors, top, eligible, applyThreshold);
        }
        return RankLexical(index, profile, top, eligible, applyThreshold);
    }

    /// <summary>The thread's working arrays, large enough for <paramref name="n"/> papers.</summary>
    private static RankScratch Scratch(int n) => _scratch is { } s && s.Capacity >= n ? s : _scratch = new RankScratch(n);

    /// <summary>
    /// Each paper's keyword score sum and matched-keyword count in the scratch arrays (context words added), and the
    /// postings of the profile's keywords.
    /// </summary>
    private KeywordPostings[] SumKeywords(PaperIndex index, RankingProfile profile, RankScratch scratch, ConcurrentDictionary<string, KeywordPostings> cache)
    {
        var n = index.Papers.Count;
        var sum = scratch.Sum.AsSpan(0, n);
        var count = scratch.Count.AsSpan(0, n);

        // Sums in keyword order, whichever form a keyword's scores are kept in, so the result is the same either way.
        // A dense first keyword writes the sums outright (0 + x is x), which saves clearing them.
        var keywordCount = profile.Keywords.Count;
        var keywords = scratch.Keywords(keywordCount);
        for (var k = 0; k < keywordCount; k++)
        {
            var postings = keywords[k] = index.Keyword(profile.Keywords[k], _options, cache);
            if (postings.Senses is { } senses) postings = keywords[k] = Meant(index, profile, k, postings, senses);
            if (postings.Dense is { } dense)
            {
                if (k == 0) ScoreVectors.SetMatches(sum, count, dense);
                else ScoreVectors.AddMatches(sum, count, dense);
                continue;
            }
            if (k == 0)
            {
                sum.Clear();
                count.Clear();
            }
            var papers = postings.Papers;
            var scores = postings.Scores;
            for (var i = 0; i < papers.Length; i++)
            {
                sum[papers[i]] += scores[i];
                count[papers[i]]++;
            }
        }
        if (profile.Context.Count > 0) ContextScores.Add(index, profile, _options, cache, sum, count);
        return keywords;
    }

    private RankedSelection RankLexical(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible, bool applyThreshold)
    {
        var n = index.Papers.Count;
        if (top <= 0 || profile.Keywords.Count == 0 || n == 0) return default;
        var scratch = Scratch(n);
        var cache = index.KeywordCache(_options);
        var keywords = SumKeywords(index, profile, scratch, cache);
        var sum = scratch.Sum.AsSpan(0, n);
        var count = scratch.Count.AsSpan(0, n);
        foreach (var exclusion in profile.Exclusions)
        {
            foreach (var paper in index.Keyword(exclusion, _options, cache).Papers) count[paper] = 0;
        }

        var selector = scratch.Selector;
        selector.Reset(index, top);
        var coverageStep = CoverageStep(profile);
        var minRelevance = applyThreshold ? _options.MinScore : double.NegativeInfinity;
        var secondary = index.SecondaryFactors(_options);
        if (eligible is null && profile.Categories.Count == 0 && profile.Authors.Count == 0)
        {
            ScoreVectors.SelectTop(sum, count, secondary, coverageStep, minRelevance, scratch.Scores.AsSpan(0, n), selector);
        }
        else
        {
            for (var paper = 0; paper < n; paper++)
            {
                if (count[paper] == 0) continue;
                var indexed = index.Papers[paper];
                if (eligible is not null && !eligible(indexed.Paper)) continue;
                var relevance = ScoreVectors.Relevance(sum[paper], count[paper], coverageStep) * Boost(profile, indexed.Paper);
                if (relevance < minRelevance) continue;
                var score = relevance * secondary[paper];
                if (score > selector.Cutoff) selector.Offer(paper, score, relevance);
            }
        }
        return new RankedSelection(index, profile, selector, keywords);
    }

    private double CoverageStep(RankingProfile profile) =>
        profile.Keywords.Count > 1 ? _options.CoverageBonus / (profile.Keywords.Count - 1) : 0;

    /// <summary>
    /// The blend (<see cref="BlendedRanking"/>) over one pass of lexical scoring: every lexical candidate (no
    /// threshold here: the blend applies it, beside the way in on meaning) scored as lexical ranking scores it, the
    /// best placed of each near-duplicate group kept and the group's other papers dropped, so that they cannot come
    /// back in on similarity explained as if they had no lexical match.
    /// </summary>
    private RankedSelection RankBlended(PaperIndex index, RankingProfile profile, ProfileVectors profileVectors, PaperVectors paperVectors, int top,
        Func<Paper, bool>? eligible, bool applyThreshold)
    {
        var n = index.Papers.Count;
        if (paperVectors.Count != n) throw new ArgumentException($"{paperVectors.Count} paper vectors were given for {n} papers.", nameof(paperVectors));
        if (n == 0) return default;
        var scratch = Scratch(n);
        var cache = index.KeywordCache(_options);
        var keywords = SumKeywords(index, profile, scratch, cache);
        var sum = scratch.Sum.AsSpan(0, n);
        var count = scratch.Count.AsSpan(0, n);
        var dropped = scratch.Dropped.AsSpan(0, n);
        var lexicalScore = scratch.LexicalScore.AsSpan(0, n);
        var lexicalRelevance = scratch.LexicalRelevance.AsSpan(0, n);
        dropped.Clear();
        if (eligible is not null)
        {
            for (var p = 0; p < n; p++) dropped[p] = eligible(index.Papers[p].Paper) ? 0 : 1;
        }
        foreach (var exclusion in profile.Exclusions)
        {
            foreach (var paper in index.Keyword(exclusion, _options, cache).Papers) dropped[paper] = 1;
        }

        var coverageStep = CoverageStep(profile);
        var secondary = index.SecondaryFactors(_options);
        if (profile.Categories.Count > 0 || profile.Authors.Count > 0)
        {
            for (var p = 0; p < n; p++)
            {
                lexicalScore[p] = double.NaN;
                if (count[p] == 0 || dropped[p] != 0) continue;
                var relevance = ScoreVectors.Relevance(sum[p], count[p], coverageStep) * Boost(profile, index.Papers[p].Paper);
                (lexicalScore[p], lexicalRelevance[p]) = (Math.Round(relevance * secondary[p], 4), Math.Round(relevance, 4));
            }
        }
        else
        {
            ScoreVectors.LexicalCandidates(sum, count, secondary, dropped, coverageStep, lexicalScore, lexicalRelevance);
        }
        KeepOnePerGroup(index, profile, scratch, coverageStep, secondary);

        var similarity = scratch.Similarity;
        similarity.Compute(profileVectors, paperVectors);
        var selector = scratch.Selector;
        selector.Reset(index, top);
        BlendedRanking.Offer(_options, dropped, lexicalScore, lexicalRelevance, similarity, applyThreshold, scratch.Scores.AsSpan(0, n), selector);
        return new RankedSelection(index, profile, selector, keywords, similarity, applyThreshold ? _options.MinSimilarity : double.NegativeInfinity);
    }

    /// <summary>
    /// Of the lexical candidates in one near-duplicate group, keeps the best placed (by its unrounded score, ties to the
    /// lower index, as lexical selection keeps them) and drops the group's other papers, candidates or not.
    /// </summary>
    private void KeepOnePerGroup(PaperIndex index, RankingProfile profile, RankScratch scratch, double coverageStep, double[] secondary)
    {
        var groups = index.DuplicateGroups;
        var keptOfGroup = scratch.KeptOfGroup;
        var unrounded = scratch.Scores;
        var anyGroup = false;
        for (var p = 0; p < groups.Length; p++)
        {
            if (groups[p] < 0 || double.IsNaN(scratch.LexicalScore[p])) continue;
            anyGroup = true;
            // The same operations as the scoring above, so the same number to the last bit.
            unrounded[p] = ScoreVectors.Relevance(scratch.Sum[p], scratch.Count[p], coverageStep) * Boost(profile, index.Papers[p].Paper) * secondary[p];
            var kept = keptOfGroup[groups[p]];
            if (kept < 0 || unrounded[p] > unrounded[kept]) keptOfGroup[groups[p]] = p;
        }
        if (!anyGroup) return;
        for (var p = 0; p < groups.Length; p++)
        {
            if (groups[p] < 0 || keptOfGroup[groups[p]] is var kept && (kept < 0 || kept == p)) continue;
            scratch.Dropped[p] = 1;
            scratch.LexicalScore[p] = double.NaN;
        }
        for (var p = 0; p < groups.Length; p++) if (groups[p] >= 0) keptOfGroup[groups[p]] = -1;
    }

    /// <summary>
    /// The result records, with their explanations (which keywords matched, where), of the selected papers. Per paper
    /// it allocates what the result keeps (its matches, the named keywords, the record).
    /// </summary>
    private static RankedPaper[] Explain(RankedSelection selection) => Explain(selection, null);

    /// <summary>
    /// As above, for the selected papers at the positions <paramref name="which"/> (in that order), or all when null:
    /// ranking with ratings reorders many selected papers and keeps a few.
    /// </summary>
    private static RankedPaper[] Explain(RankedSelection selection, int[]? which)
    {
        if (selection.Count == 0) return [];
        var found = _scratch!.Found(selection.KeywordCount);
        var ranked = new RankedPaper[which?.Length ?? selection.Count];
        for (var r = 0; r < ranked.Length; r++)
        {
            var i = which is null ? r : which[r];
            if (selection.ByMeaning(i))
            {
                var (similarTo, similarity) = selection.SimilarInMeaning(i);
                ranked[r] = new RankedPaper(selection.Paper(i), selection.Score(i), []) { SimilarTo = similarTo, Similarity = similarity };
                continue;
            }
            var count = selection.Matches(i, found, out var whole);
            var matches = new KeywordMatch[count];
            var matched = new string[whole];
            var partly = count > whole ? new string[count - whole] : [];
            int nextWhole = 0, nextPart = 0;
            for (var j = 0; j < count; j++)
            {
                // Each profile is told its own spelling of a shared match, so that what it reads does not depend on
                // which profiles were ranked before it (or at the same time, on other threads).
                var typed = found[j].Keyword;
                var match = found[j].Match;
                matches[j] = ReferenceEquals(match.Keyword, typed) || match.Keyword == typed ? match : match with { Keyword = typed };
                if (found[j].IsWhole) matched[nextWhole++] = typed;
                else if (found[j].PartWords is var words && Array.IndexOf(partly, words, 0, nextPart) < 0) partly[nextPart++] = words;
            }
            ranked[r] = new RankedPaper(selection.Paper(i), selection.Score(i), matched)
            {
                Relevance = selection.Relevance(i),
                Matches = matches,
                Partly = nextPart == partly.Length ? partly : partly[..nextPart],
            };
        }
        return ranked;
    }

    /// <summary>
    /// An acronym keyword with several meanings across the papers counts, in a paper that defines it, only with the
    /// meanings its profile shows it means (<see cref="AcronymSenses"/>); when that is all of them nothing changes.
    /// </summary>
    private KeywordPostings Meant(PaperIndex index, RankingProfile profile, int k, KeywordPostings postings, AcronymSenses senses)
    {
        var meant = senses.MeantBy(profile, k);
        if (meant == senses.All) return postings;
        var keyword = profile.Keywords[k];
        return senses.Restricted(meant, mask => KeywordMatcher.Match(index, keyword, _options, senses.MeaningsIn(mask)));
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
