using System.Numerics;
using System.Runtime.CompilerServices;

namespace PaperMailer.Rank;

/// <summary>
/// The per-profile arithmetic of <see cref="PaperRanker"/> over all papers at once, several papers per instruction.
/// Each lane does exactly the operations of the one-paper formula, in the same order, so the scores are the same to
/// the last bit as computing paper by paper.
/// Methods using <see cref="Vector{T}"/> cannot be compiled ahead of time (its width is the machine's), so they are
/// compiled fully optimised on first use: run at the first tier, their vectors are structs handled one call at a time,
/// and a one-shot command such as <c>rank --profiles</c> spent most of its ranking there before they were recompiled.
/// </summary>
internal static class ScoreVectors
{
    /// <summary>
    /// A paper's relevance before boosts: its keywords' summed scores, raised by <paramref name="coverageStep"/> for each
    /// keyword matched beyond the first. The one-paper form of what each vector lane below computes, in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Relevance(double sum, double count, double coverageStep) => sum * (1 + coverageStep * (count - 1));

    /// <summary>sum = scores; count = 1 where the score is positive, else 0 (the first keyword's <see cref="AddMatches"/> onto zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SetMatches(Span<double> sum, Span<double> count, ReadOnlySpan<double> scores)
    {
        scores.CopyTo(sum);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            for (; i + width <= sum.Length; i += width)
            {
                var hit = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<double>(scores[i..]), Vector<double>.Zero), Vector<double>.One, Vector<double>.Zero);
                hit.CopyTo(count[i..]);
            }
        }
        for (; i < sum.Length; i++) count[i] = scores[i] > 0 ? 1 : 0;
    }

    /// <summary>sum += scores; count += 1 where the score is positive (every match scores above zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddMatches(Span<double> sum, Span<double> count, ReadOnlySpan<double> scores)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            for (; i + width <= sum.Length; i += width)
            {
                var add = new Vector<double>(scores[i..]);
                (new Vector<double>(sum[i..]) + add).CopyTo(sum[i..]);
                var hit = Vector.ConditionalSelect(Vector.GreaterThan(add, Vector<double>.Zero), Vector<double>.One, Vector<double>.Zero);
                (new Vector<double>(count[i..]) + hit).CopyTo(count[i..]);
            }
        }
        for (; i < sum.Length; i++)
        {
            sum[i] += scores[i];
            if (scores[i] > 0) count[i]++;
        }
    }

    /// <summary>
    /// How many lane-wise best scores <see cref="SelectTop"/> keeps per vector lane while scoring, beyond the
    /// <c>top / lanes</c> it needs at least: more levels give a tighter floor (fewer papers offered) at the cost of two
    /// vector operations per level and block.
    /// </summary>
    private const int ExtraLevels = 1;

    /// <summary>Above this many levels (a very long top list) the floor is not worth its cost: every qualifying paper is offered.</summary>
    private const int MaxLevels = 8;

    /// <summary>
    /// Offers to <paramref name="selector"/> every matched paper (count above zero) whose relevance,
    /// sum × (1 + coverageStep × (count − 1)), reaches <paramref name="minRelevance"/>, scored relevance × secondary
    /// factor, so that it ends holding the same papers as offering them all one by one. Offering is the costly part,
    /// so it is done in two passes. The first computes every score into <paramref name="scores"/> (minus infinity for
    /// a paper that does not qualify) and keeps, per vector lane, the few best scores seen in that lane: these are
    /// scores of distinct papers, so the top-th best of them is a floor that the top-th best paper reaches. The second
    /// pass offers only the papers at or above that floor, in ascending index order as the selector requires. Should
    /// near-duplicate collapsing leave the list short (the floor's papers were not all distinct groups), every
    /// qualifying paper is offered again from an empty list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SelectTop(ReadOnlySpan<double> sum, ReadOnlySpan<double> count, ReadOnlySpan<double> secondary,
        double coverageStep, double minRelevance, Span<double> scores, TopSelector selector)
    {
        var width = Vector<double>.Count;
        var levels = (selector.Top + width - 1) / width + ExtraLevels;
        if (!Vector.IsHardwareAccelerated || levels > MaxLevels)
        {
            ScoreAll(sum, count, secondary, coverageStep, minRelevance, scores, []);
            OfferFrom(scores, double.NegativeInfinity, sum, count, coverageStep, selector);
            return;
        }
        Span<Vector<double>> best = stackalloc Vector<double>[levels];
        var floor = ScoreAll(sum, count, secondary, coverageStep, minRelevance, scores, best) is var ranked && ranked > 0
            ? KthLargest(best, selector.Top)
            : double.NegativeInfinity;
        OfferFrom(scores, floor, sum, count, coverageStep, selector);
        if (selector.Count < selector.Top && floor > double.NegativeInfinity)
        {
            selector.Restart();
            OfferFrom(scores, double.NegativeInfinity, sum, count, coverageStep, selector);
        }
    }

    /// <summary>
    /// Writes each paper's score, or minus infinity when it does not qualify, and (when <paramref name="best"/> is
    /// not empty) keeps per lane its best scores in descending order. Returns the number of vector blocks scored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScoreAll(ReadOnlySpan<double> sum, ReadOnlySpan<double> count, ReadOnlySpan<double> secondary,
        double coverageStep, double minRelevance, Span<double> scores, Span<Vector<double>> best)
    {
        var i = 0;
        var blocks = 0;
        if (Vector.IsHardwareAccelerated && best.Length > 0)
        {
            var width = Vector<double>.Count;
            var step = new Vector<double>(coverageStep);
            var min = new Vector<double>(minRelevance);
            var none = new Vector<double>(double.NegativeInfinity);
            best.Fill(none);
            for (; i + width <= sum.Length; i += width, blocks++)
            {
                var matched = new Vector<double>(count[i..]);
                var relevance = new Vector<double>(sum[i..]) * (Vector<double>.One + step * (matched - Vector<double>.One));
                var qualifies = Vector.GreaterThan(matched, Vector<double>.Zero) & Vector.GreaterThanOrEqual(relevance, min);
                var score = Vector.ConditionalSelect(qualifies, relevance * new Vector<double>(secondary[i..]), none);
                score.CopyTo(scores[i..]);
                for (var level = 0; level < best.Length; level++)
                {
                    var kept = best[level];
                    best[level] = Vector.Max(kept, score);
                    score = Vector.Min(kept, score);
                }
            }
        }
        for (; i < sum.Length; i++)
        {
            var relevance = Relevance(sum[i], count[i], coverageStep);
            scores[i] = count[i] > 0 && relevance >= minRelevance ? relevance * secondary[i] : double.NegativeInfinity;
        }
        return blocks;
    }

    /// <summary>The k-th largest of the lane-wise best scores (minus infinity when fewer than k papers qualified).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double KthLargest(ReadOnlySpan<Vector<double>> best, int k)
    {
        var width = Vector<double>.Count;
        Span<double> values = stackalloc double[best.Length * width];
        for (var level = 0; level < best.Length; level++) best[level].CopyTo(values[(level * width)..]);
        values.Sort();
        return values[^k];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OfferFrom(ReadOnlySpan<double> scores, double floor, ReadOnlySpan<double> sum, ReadOnlySpan<double> count,
        double coverageStep, TopSelector selector)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            var atFloor = new Vector<double>(floor);
            var none = new Vector<double>(double.NegativeInfinity);
            for (; i + width <= scores.Length; i += width)
            {
                var block = new Vector<double>(scores[i..]);
                if (Vector.EqualsAll(Vector.GreaterThanOrEqual(block, atFloor) & Vector.GreaterThan(block, none), Vector<long>.Zero)) continue;
                for (var paper = i; paper < i + width; paper++) Offer(scores, floor, sum, count, coverageStep, selector, paper);
            }
        }
        for (; i < scores.Length; i++) Offer(scores, floor, sum, count, coverageStep, selector, i);
    }

    private static void Offer(ReadOnlySpan<double> scores, double floor, ReadOnlySpan<double> sum, ReadOnlySpan<double> count,
        double coverageStep, TopSelector selector, int paper)
    {
        var score = scores[paper];
        if (score < floor || score == double.NegativeInfinity || score <= selector.Cutoff) return;
        // The same operations as the vector lane, so the relevance is the same to the last bit.
        selector.Offer(paper, score, Relevance(sum[paper], count[paper], coverageStep));
    }

    /// <summary>
    /// For the semantic blend: each paper's lexical score and relevance (computed as for <see cref="SelectTop"/>) rounded
    /// to 4 decimals as results show them, or a NaN score for a paper that matched no keyword or is dropped (1 in
    /// <paramref name="dropped"/>). No threshold: the blend applies it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LexicalCandidates(ReadOnlySpan<double> sum, ReadOnlySpan<double> count, ReadOnlySpan<double> secondary, ReadOnlySpan<double> dropped,
        double coverageStep, Span<double> lexicalScore, Span<double> lexicalRelevance)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            var step = new Vector<double>(coverageStep);
            var nan = new Vector<double>(double.NaN);
            for (; i + width <= sum.Length; i += width)
            {
                var matched = new Vector<double>(count[i..]);
                var relevance = new Vector<double>(sum[i..]) * (Vector<double>.One + step * (matched - Vector<double>.One));
                var candidate = Vector.GreaterThan(matched, Vector<double>.Zero) & Vector.Equals(new Vector<double>(dropped[i..]), Vector<double>.Zero);
                Vector.ConditionalSelect(candidate, Round4(relevance * new Vector<double>(secondary[i..])), nan).CopyTo(lexicalScore[i..]);
                Round4(relevance).CopyTo(lexicalRelevance[i..]);
            }
        }
        for (; i < sum.Length; i++)
        {
            var relevance = Relevance(sum[i], count[i], coverageStep);
            lexicalScore[i] = count[i] > 0 && dropped[i] == 0 ? Math.Round(relevance * secondary[i], 4) : double.NaN;
            lexicalRelevance[i] = Math.Round(relevance, 4);
        }
    }

    /// <summary>
    /// <see cref="Math.Round(double, int)"/> to 4 decimals, lane by lane: it scales by 10,000, rounds half to even and
    /// scales back (for magnitudes below 1e16, which scores are), the same three operations.
    /// </summary>
    private static Vector<double> Round4(Vector<double> value)
    {
        var scale = new Vector<double>(10_000.0);
        return Vector.Round(value * scale) / scale;
    }
}
