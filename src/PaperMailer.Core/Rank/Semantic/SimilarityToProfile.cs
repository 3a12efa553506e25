using System.Numerics;
using System.Runtime.CompilerServices;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Every paper's similarity to a profile: to each keyword, their mean (the profile similarity that orders papers),
/// the most similar keyword that may admit a paper on meaning (a subscriber's own, not a preset topic's), and the
/// most similar of the profile's topics (by name and description), either of which may admit and explain a paper
/// without a lexical match. One instance per ranking thread, filled again for each profile (<see cref="Compute"/>), so
/// that ranking a profile allocates none of its per-paper arrays; the arrays may be longer than the papers.
/// </summary>
public sealed class SimilarityToProfile
{
    public float[] Mean { get; private set; } = [];

    /// <summary>The highest similarity to a keyword that may admit on meaning (minus infinity when none may).</summary>
    public float[] Best { get; private set; } = [];

    public int[] BestKeyword { get; private set; } = [];

    /// <summary>The highest similarity to one of the profile's topics (minus infinity when it has none).</summary>
    public float[] BestTopicSimilarity { get; private set; } = [];

    public int[] BestTopic { get; private set; } = [];

    /// <summary>The profile the arrays were last filled for.</summary>
    public ProfileVectors? Profile { get; private set; }

    /// <summary>
    /// Fills the arrays' first <see cref="PaperVectors.Count"/> entries for <paramref name="profile"/>. Vectorised: each
    /// lane does the one-paper operations in the same order, so the numbers are those of a loop paper by paper. The
    /// vector methods are compiled fully optimised at once: run at the first tier, each vector is a struct handled one
    /// call at a time (see <see cref="ScoreVectors"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ProfileVectors profile, PaperVectors papers)
    {
        var n = papers.Count;
        if (Mean.Length < n)
        {
            (Mean, Best, BestKeyword) = (new float[n], new float[n], new int[n]);
            (BestTopicSimilarity, BestTopic) = (new float[n], new int[n]);
        }
        Profile = profile;
        var mean = Mean.AsSpan(0, n);
        var best = Best.AsSpan(0, n);
        var bestKeyword = BestKeyword.AsSpan(0, n);
        mean.Clear();
        best.Fill(float.NegativeInfinity);
        bestKeyword.Clear();
        for (var k = 0; k < profile.KeywordVectors.Count; k++)
        {
            var toKeyword = papers.SimilaritiesTo(profile.KeywordVectors[k]).AsSpan(0, n);
            Add(mean, toKeyword);
            if (k >= profile.FromTopics.Count || !profile.FromTopics[k]) KeepBest(best, bestKeyword, toKeyword, k);
        }
        Divide(mean, Math.Max(1, profile.KeywordVectors.Count));
        var bestTopicSimilarity = BestTopicSimilarity.AsSpan(0, n);
        var bestTopic = BestTopic.AsSpan(0, n);
        bestTopicSimilarity.Fill(float.NegativeInfinity);
        bestTopic.Clear();
        for (var t = 0; t < profile.TopicVectors.Count; t++)
        {
            KeepBest(bestTopicSimilarity, bestTopic, papers.SimilaritiesTo(profile.TopicVectors[t]).AsSpan(0, n), t);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(Span<float> sum, ReadOnlySpan<float> add)
    {
        var i = 0;
        for (; i + Vector<float>.Count <= sum.Length; i += Vector<float>.Count)
        {
            (new Vector<float>(sum[i..]) + new Vector<float>(add[i..])).CopyTo(sum[i..]);
        }
        for (; i < sum.Length; i++) sum[i] += add[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide(Span<float> values, int by)
    {
        var i = 0;
        var divisor = new Vector<float>(by);
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
        {
            (new Vector<float>(values[i..]) / divisor).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) values[i] /= by;
    }

    /// <summary>Where <paramref name="candidate"/> is higher than <paramref name="best"/>, takes it and <paramref name="which"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KeepBest(Span<float> best, Span<int> bestWhich, ReadOnlySpan<float> candidate, int which)
    {
        var i = 0;
        var whichLanes = new Vector<int>(which);
        for (; i + Vector<float>.Count <= best.Length; i += Vector<float>.Count)
        {
            var current = new Vector<float>(best[i..]);
            var offered = new Vector<float>(candidate[i..]);
            var higher = Vector.GreaterThan(offered, current);
            Vector.ConditionalSelect(higher, offered, current).CopyTo(best[i..]);
            Vector.ConditionalSelect(higher, whichLanes, new Vector<int>(bestWhich[i..])).CopyTo(bestWhich[i..]);
        }
        for (; i < best.Length; i++)
        {
            if (candidate[i] > best[i]) (best[i], bestWhich[i]) = (candidate[i], which);
        }
    }
}
