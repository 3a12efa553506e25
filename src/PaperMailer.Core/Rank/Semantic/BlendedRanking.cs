using PaperMailer.Domain;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Lexical relevance blended with similarity in meaning. Each paper's lexical score is divided by the best among the
/// candidates and its similarity to the profile (the mean of its similarities to the keywords) is scaled from the
/// least to the most similar paper, so both run 0–1; the blend is <see cref="RankingOptions.SemanticWeight"/> of the
/// second plus the rest of the first (about half each: measured on a held-out judged set, insensitive between 0.4 and
/// 0.7). A paper enters when it reaches the lexical threshold as before, or when it is at least
/// <see cref="RankingOptions.MinSimilarity"/> similar to one of the subscriber's own keywords or
/// <see cref="RankingOptions.MinTopicSimilarity"/> similar to one of the profile's preset topics (its name and
/// description; a preset's keywords admit nothing on meaning), which then explains it ("similar in meaning to: …"). Exclusions and the caller's eligibility drop papers outright; near-duplicates collapse as in lexical
/// ranking.
/// </summary>
/// <remarks>
/// Every lexical candidate's score is read from the lexical ranker's selection (no result records); only the papers
/// chosen are explained, by a second lexical pass restricted to them, so a profile costs records for its top papers,
/// not for every paper that shares a word with it.
/// </remarks>
internal sealed class BlendedRanking(RankingOptions options, BlendedRanking.LexicalSelection select, BlendedRanking.LexicalRanking lexical)
{
    /// <summary>The lexical ranker's selection: (index, profile, top, eligible, applyThreshold) → the chosen papers, unexplained.</summary>
    public delegate RankedSelection LexicalSelection(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible, bool applyThreshold);

    /// <summary>The lexical ranker: (index, profile, top, eligible, applyThreshold) → ranked papers.</summary>
    public delegate RankedPaper[] LexicalRanking(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible, bool applyThreshold);

    public IReadOnlyList<RankedPaper> Rank(PaperIndex index, RankingProfile profile, ProfileVectors profileVectors, PaperVectors paperVectors, int top, Func<Paper, bool>? eligible, bool applyThreshold)
    {
        var n = index.Papers.Count;
        if (paperVectors.Count != n) throw new ArgumentException($"{paperVectors.Count} paper vectors were given for {n} papers.", nameof(paperVectors));
        if (n == 0) return [];

        // Every lexical candidate with its score: the threshold is applied here, with the semantic way in beside it.
        var lexicalScore = new double[n];
        var lexicalRelevance = new double[n];
        var isLexical = new bool[n];
        var selection = select(index, profile, n, eligible, applyThreshold: false);
        for (var i = 0; i < selection.Count; i++)
        {
            var p = selection.PaperAt(i);
            (isLexical[p], lexicalScore[p], lexicalRelevance[p]) = (true, selection.Score(i), selection.Relevance(i));
        }

        var similarity = new SimilarityToProfile(profileVectors, paperVectors);
        var dropped = Dropped(index, profile, eligible);
        // The lexical pass keeps one paper of each near-duplicate group; the others must not come back in on
        // similarity, explained as if they had no lexical match.
        var lexicalGroups = new HashSet<int>();
        for (var p = 0; p < n; p++) if (isLexical[p] && index.DuplicateGroups[p] >= 0) lexicalGroups.Add(index.DuplicateGroups[p]);
        for (var p = 0; p < n; p++) if (!isLexical[p] && lexicalGroups.Contains(index.DuplicateGroups[p])) dropped[p] = true;
        var minRelevance = applyThreshold ? options.MinScore : double.NegativeInfinity;
        var minSimilarity = applyThreshold ? options.MinSimilarity : double.NegativeInfinity;
        var minTopicSimilarity = applyThreshold ? options.MinTopicSimilarity : double.NegativeInfinity;

        double bestLexical = 0, leastMean = double.PositiveInfinity, mostMean = double.NegativeInfinity;
        for (var p = 0; p < n; p++)
        {
            if (dropped[p]) continue;
            if (isLexical[p]) bestLexical = Math.Max(bestLexical, lexicalScore[p]);
            leastMean = Math.Min(leastMean, similarity.Mean[p]);
            mostMean = Math.Max(mostMean, similarity.Mean[p]);
        }
        var meanRange = mostMean - leastMean;

        var selector = new TopSelector();
        selector.Reset(index, top);
        var semanticWeight = options.SemanticWeight;
        for (var p = 0; p < n; p++)
        {
            if (dropped[p]) continue;
            var lexicalIn = isLexical[p] && lexicalRelevance[p] >= minRelevance;
            if (!lexicalIn && similarity.Best[p] < minSimilarity && similarity.BestTopicSimilarity[p] < minTopicSimilarity) continue;
            var lexicalShare = !isLexical[p] || bestLexical <= 0 ? 0 : lexicalScore[p] / bestLexical;
            var semanticShare = meanRange > 0 ? (similarity.Mean[p] - leastMean) / meanRange : 0;
            var score = (1 - semanticWeight) * lexicalShare + semanticWeight * semanticShare;
            // Relevance records how the paper got in: its lexical relevance, or minus one for similarity alone.
            selector.Offer(p, score, lexicalIn ? lexicalRelevance[p] : -1);
        }

        // The chosen lexical papers explained: the lexical ranker again, over them alone.
        var chosen = new HashSet<Paper>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < selector.Count; i++) if (selector[i].Relevance >= 0) chosen.Add(index.Papers[selector[i].Paper].Paper);
        var explained = new Dictionary<Paper, RankedPaper>(ReferenceEqualityComparer.Instance);
        if (chosen.Count > 0)
        {
            foreach (var ranked in lexical(index, profile, chosen.Count, chosen.Contains, applyThreshold: false)) explained[ranked.Paper] = ranked;
        }

        var result = new RankedPaper[selector.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var (p, score, relevance) = selector[i];
            var rounded = Math.Round(score, 4);
            result[i] = relevance >= 0
                ? explained[index.Papers[p].Paper] with { Score = rounded }
                : SimilarInMeaning(index.Papers[p].Paper, rounded, profileVectors, similarity, p, minSimilarity);
        }
        return result;
    }

    /// <summary>
    /// A paper admitted on meaning alone, explained by what admitted it: the keyword it is most similar to when that
    /// reaches <see cref="RankingOptions.MinSimilarity"/>, else the topic it is most similar to.
    /// </summary>
    private static RankedPaper SimilarInMeaning(Paper paper, double score, ProfileVectors profile, SimilarityToProfile similarity, int p, double minSimilarity)
    {
        var byKeyword = similarity.Best[p] >= minSimilarity;
        return new RankedPaper(paper, score, [])
        {
            SimilarTo = byKeyword ? profile.Keywords[similarity.BestKeyword[p]] : profile.Topics[similarity.BestTopic[p]],
            Similarity = Math.Round(byKeyword ? similarity.Best[p] : similarity.BestTopicSimilarity[p], 4),
        };
    }

    /// <summary>Papers that may not be shown: not eligible, or containing an exclusion (as whole words).</summary>
    private bool[] Dropped(PaperIndex index, RankingProfile profile, Func<Paper, bool>? eligible)
    {
        var dropped = new bool[index.Papers.Count];
        if (eligible is not null)
        {
            for (var p = 0; p < dropped.Length; p++) dropped[p] = !eligible(index.Papers[p].Paper);
        }
        foreach (var exclusion in profile.Exclusions)
        {
            foreach (var paper in index.Keyword(exclusion, options).Papers) dropped[paper] = true;
        }
        return dropped;
    }
}
