using System.Numerics;

namespace PaperMailer.Rank;

/// <summary>
/// The per-profile arithmetic of <see cref="PaperRanker"/> over all papers at once, several papers per instruction.
/// Each lane does exactly the operations of the one-paper formula, in the same order, so the scores are the same to
/// the last bit as computing paper by paper.
/// </summary>
internal static class ScoreVectors
{
    /// <summary>sum += scores; count += 1 where the score is positive (every match scores above zero).</summary>
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
    /// Offers every matched paper (count above zero) whose relevance, sum × (1 + coverageStep × (count − 1)), reaches
    /// <paramref name="minRelevance"/> and whose score (relevance × secondary factor) beats the selector's cutoff.
    /// Blocks of papers where no lane qualifies are skipped without leaving vector registers.
    /// </summary>
    public static void SelectTop(ReadOnlySpan<double> sum, ReadOnlySpan<double> count, ReadOnlySpan<double> secondary,
        double coverageStep, double minRelevance, TopSelector selector)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<double>.Count;
            var step = new Vector<double>(coverageStep);
            var min = new Vector<double>(minRelevance);
            for (; i + width <= sum.Length; i += width)
            {
                var matched = new Vector<double>(count[i..]);
                var relevance = new Vector<double>(sum[i..]) * (Vector<double>.One + step * (matched - Vector<double>.One));
                var score = relevance * new Vector<double>(secondary[i..]);
                var pass = Vector.GreaterThan(matched, Vector<double>.Zero)
                    & Vector.GreaterThanOrEqual(relevance, min)
                    & Vector.GreaterThan(score, new Vector<double>(selector.Cutoff));
                if (pass == Vector<long>.Zero) continue;
                for (var lane = 0; lane < width; lane++)
                {
                    if (pass[lane] != 0 && score[lane] > selector.Cutoff) selector.Offer(i + lane, score[lane], relevance[lane]);
                }
            }
        }
        for (; i < sum.Length; i++)
        {
            if (count[i] == 0) continue;
            var relevance = sum[i] * (1 + coverageStep * (count[i] - 1));
            if (relevance < minRelevance) continue;
            var score = relevance * secondary[i];
            if (score > selector.Cutoff) selector.Offer(i, score, relevance);
        }
    }
}
