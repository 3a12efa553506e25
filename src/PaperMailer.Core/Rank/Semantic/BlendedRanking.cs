using System.Numerics;
using System.Runtime.CompilerServices;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Lexical relevance blended with similarity in meaning. Each paper's lexical score is divided by the best among the
/// candidates and its similarity to the profile (the mean of its similarities to the keywords) is scaled from the
/// least to the most similar paper, so both run 0–1; the blend is <see cref="RankingOptions.SemanticWeight"/> of the
/// second plus the rest of the first (about half each: measured on a held-out judged set, insensitive between 0.4 and
/// 0.7). A paper enters when it reaches the lexical threshold as before, or when it is at least
/// <see cref="RankingOptions.MinSimilarity"/> similar to one of the subscriber's own keywords or
/// <see cref="RankingOptions.MinTopicSimilarity"/> similar to one of the profile's preset topics (its name and
/// description; a preset's keywords admit nothing on meaning), which then explains it ("similar in meaning to: …").
/// Exclusions and the caller's eligibility drop papers outright; near-duplicates collapse as in lexical ranking.
/// </summary>
/// <remarks>
/// The ranker hands over its lexical scores for every paper in one pass (<see cref="PaperRanker"/>, which also keeps
/// one lexical candidate per near-duplicate group and drops the group's others), and the papers chosen here are
/// explained from the same keyword matches: nothing is ranked twice and no per-paper array is allocated per profile.
/// </remarks>
internal static class BlendedRanking
{
    /// <summary>
    /// Offers <paramref name="selector"/> every paper not dropped (<paramref name="dropped"/> 1, else 0) that the
    /// lexical threshold or similarity admits, at its blended score, with its lexical relevance when it got in
    /// lexically and minus one when by meaning alone. <paramref name="lexicalScore"/> is NaN for a paper that is not a
    /// lexical candidate; lexical scores and relevances are rounded as results show them. <paramref name="scores"/>
    /// receives the blended scores and <paramref name="lexicalRelevance"/> the relevance offered.
    /// </summary>
    /// <remarks>
    /// Vectorised in two passes (the ranges to scale by, then the scores), each lane doing the one-paper operations in
    /// the same order; only papers that can still enter the list are offered, in ascending order as the selector
    /// requires.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Offer(RankingOptions options, ReadOnlySpan<double> dropped, ReadOnlySpan<double> lexicalScore, Span<double> lexicalRelevance,
        SimilarityToProfile similarity, bool applyThreshold, Span<double> scores, TopSelector selector)
    {
        var n = dropped.Length;
        var mean = similarity.Mean.AsSpan(0, n);
        var best = similarity.Best.AsSpan(0, n);
        var bestTopic = similarity.BestTopicSimilarity.AsSpan(0, n);
        var minRelevance = applyThreshold ? options.MinScore : double.NegativeInfinity;
        var minSimilarity = applyThreshold ? options.MinSimilarity : double.NegativeInfinity;
        var minTopicSimilarity = applyThreshold ? options.MinTopicSimilarity : double.NegativeInfinity;

        // The best lexical score and the least and most similar paper, among the papers that may be shown.
        var lanes = Vector<double>.Count;
        var floats = Vector<float>.Count;
        var bestLexicalLanes = Vector<double>.Zero;
        var leastLanes = new Vector<double>(double.PositiveInfinity);
        var mostLanes = new Vector<double>(double.NegativeInfinity);
        var blocks = n / floats * floats;
        for (var i = 0; i < blocks; i += floats)
        {
            var (meanLow, meanHigh) = Widen(mean[i..]);
            Ranges(dropped[i..], lexicalScore[i..], meanLow, ref bestLexicalLanes, ref leastLanes, ref mostLanes);
            Ranges(dropped[(i + lanes)..], lexicalScore[(i + lanes)..], meanHigh, ref bestLexicalLanes, ref leastLanes, ref mostLanes);
        }
        double bestLexical = 0, leastMean = double.PositiveInfinity, mostMean = double.NegativeInfinity;
        for (var l = 0; l < lanes; l++)
        {
            bestLexical = Math.Max(bestLexical, bestLexicalLanes[l]);
            leastMean = Math.Min(leastMean, leastLanes[l]);
            mostMean = Math.Max(mostMean, mostLanes[l]);
        }
        for (var p = blocks; p < n; p++)
        {
            if (dropped[p] != 0) continue;
            if (!double.IsNaN(lexicalScore[p])) bestLexical = Math.Max(bestLexical, lexicalScore[p]);
            leastMean = Math.Min(leastMean, mean[p]);
            mostMean = Math.Max(mostMean, mean[p]);
        }
        var meanRange = mostMean - leastMean;

        var blend = new Blend(options.SemanticWeight, bestLexical, leastMean, meanRange, minRelevance, minSimilarity, minTopicSimilarity);
        for (var i = 0; i < blocks; i += floats)
        {
            var (meanLow, meanHigh) = Widen(mean[i..]);
            var (bestLow, bestHigh) = Widen(best[i..]);
            var (topicLow, topicHigh) = Widen(bestTopic[i..]);
            blend.Score(dropped[i..], lexicalScore[i..], lexicalRelevance[i..], meanLow, bestLow, topicLow, scores[i..]);
            var j = i + lanes;
            blend.Score(dropped[j..], lexicalScore[j..], lexicalRelevance[j..], meanHigh, bestHigh, topicHigh, scores[j..]);
        }
        for (var p = blocks; p < n; p++)
        {
            var isLexical = !double.IsNaN(lexicalScore[p]);
            var lexicalIn = isLexical && lexicalRelevance[p] >= minRelevance;
            if (dropped[p] != 0 || !lexicalIn && best[p] < minSimilarity && bestTopic[p] < minTopicSimilarity)
            {
                scores[p] = double.NegativeInfinity;
                continue;
            }
            var lexicalShare = !isLexical || bestLexical <= 0 ? 0 : lexicalScore[p] / bestLexical;
            var semanticShare = meanRange > 0 ? (mean[p] - leastMean) / meanRange : 0;
            scores[p] = (1 - options.SemanticWeight) * lexicalShare + options.SemanticWeight * semanticShare;
            lexicalRelevance[p] = lexicalIn ? lexicalRelevance[p] : -1;
        }

        // Once the list is full few papers can still enter: a vector of them is looked at one by one only when one can.
        var cutoff = selector.Cutoff;
        var next = 0;
        for (; next + lanes <= n; next += lanes)
        {
            if (!Vector.GreaterThanAny(new Vector<double>(scores[next..]), new Vector<double>(cutoff))) continue;
            for (var p = next; p < next + lanes; p++) Offer(selector, p, scores[p], lexicalRelevance[p], ref cutoff);
        }
        for (; next < n; next++) Offer(selector, next, scores[next], lexicalRelevance[next], ref cutoff);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(TopSelector selector, int paper, double score, double relevance, ref double cutoff)
    {
        if (score == double.NegativeInfinity || score <= cutoff) return;
        // Relevance records how the paper got in: its lexical relevance, or minus one for similarity alone.
        selector.Offer(paper, score, relevance);
        cutoff = selector.Cutoff;
    }

    /// <summary>One vector of floats as the two vectors of doubles of its low and high halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<double> Low, Vector<double> High) Widen(ReadOnlySpan<float> values)
    {
        Vector.Widen(new Vector<float>(values), out var low, out var high);
        return (low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Ranges(ReadOnlySpan<double> dropped, ReadOnlySpan<double> lexicalScore, Vector<double> mean,
        ref Vector<double> bestLexical, ref Vector<double> least, ref Vector<double> most)
    {
        var shown = Vector.Equals(new Vector<double>(dropped), Vector<double>.Zero);
        var score = new Vector<double>(lexicalScore);
        var lexical = shown & Vector.Equals(score, score);
        bestLexical = Vector.Max(bestLexical, Vector.ConditionalSelect(lexical, score, Vector<double>.Zero));
        least = Vector.Min(least, Vector.ConditionalSelect(shown, mean, new Vector<double>(double.PositiveInfinity)));
        most = Vector.Max(most, Vector.ConditionalSelect(shown, mean, new Vector<double>(double.NegativeInfinity)));
    }

    /// <summary>The blend's constants, and one vector of papers scored with them.</summary>
    private readonly struct Blend(double semanticWeight, double bestLexical, double leastMean, double meanRange,
        double minRelevance, double minSimilarity, double minTopicSimilarity)
    {
        private readonly Vector<double> _lexicalWeight = new(1 - semanticWeight);
        private readonly Vector<double> _semanticWeight = new(semanticWeight);
        private readonly Vector<double> _bestLexical = new(bestLexical);
        private readonly bool _anyLexical = bestLexical > 0;
        private readonly Vector<double> _leastMean = new(leastMean);
        private readonly Vector<double> _meanRange = new(meanRange);
        private readonly bool _anyRange = meanRange > 0;
        private readonly Vector<double> _minRelevance = new(minRelevance);
        private readonly Vector<double> _minSimilarity = new(minSimilarity);
        private readonly Vector<double> _minTopicSimilarity = new(minTopicSimilarity);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Score(ReadOnlySpan<double> dropped, ReadOnlySpan<double> lexicalScore, Span<double> lexicalRelevance,
            Vector<double> mean, Vector<double> best, Vector<double> bestTopic, Span<double> scores)
        {
            var score = new Vector<double>(lexicalScore);
            var relevance = new Vector<double>(lexicalRelevance);
            var isLexical = Vector.Equals(score, score);
            var lexicalIn = isLexical & Vector.GreaterThanOrEqual(relevance, _minRelevance);
            var admitted = Vector.Equals(new Vector<double>(dropped), Vector<double>.Zero)
                & (lexicalIn | Vector.GreaterThanOrEqual(best, _minSimilarity) | Vector.GreaterThanOrEqual(bestTopic, _minTopicSimilarity));
            var lexicalShare = _anyLexical ? Vector.ConditionalSelect(isLexical, score / _bestLexical, Vector<double>.Zero) : Vector<double>.Zero;
            var semanticShare = _anyRange ? (mean - _leastMean) / _meanRange : Vector<double>.Zero;
            var blended = _lexicalWeight * lexicalShare + _semanticWeight * semanticShare;
            Vector.ConditionalSelect(admitted, blended, new Vector<double>(double.NegativeInfinity)).CopyTo(scores);
            Vector.ConditionalSelect(lexicalIn, relevance, new Vector<double>(-1)).CopyTo(lexicalRelevance);
        }
    }

    /// <summary>
    /// What admitted a paper on meaning alone: the keyword it is most similar to when that reaches
    /// <see cref="RankingOptions.MinSimilarity"/> (<paramref name="minSimilarity"/>), else the topic it is most similar to.
    /// </summary>
    public static (string SimilarTo, double Similarity) SimilarInMeaning(SimilarityToProfile similarity, int paper, double minSimilarity)
    {
        var profile = similarity.Profile!;
        return similarity.Best[paper] >= minSimilarity
            ? (profile.Keywords[similarity.BestKeyword[paper]], Math.Round(similarity.Best[paper], 4))
            : (profile.Topics[similarity.BestTopic[paper]], Math.Round(similarity.BestTopicSimilarity[paper], 4));
    }
}
