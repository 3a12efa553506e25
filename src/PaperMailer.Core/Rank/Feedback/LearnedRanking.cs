using PaperMailer.Domain;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Rank.Feedback;

/// <summary>
/// Ranking with a subscriber's ratings (<see cref="RankingProfile.Ratings"/>): every paper the profile admits is
/// ranked as without ratings, then each score is multiplied by what the ratings teach about that paper
/// (<see cref="LearnedPreferences.Factor"/>) and the best are kept. A paper rated "less like this" is never ranked
/// again. The ratings reorder what the profile admits; they admit nothing the profile would not.
/// </summary>
internal static class LearnedRanking
{
    /// <summary>The ranking without ratings, read where the ranker keeps it: (index, profile, top, eligible, applyThreshold, vectors).</summary>
    public delegate RankedSelection Selection(PaperIndex index, RankingProfile profile, int top, Func<Paper, bool>? eligible, bool applyThreshold, PaperVectors? vectors);

    /// <summary>Result records of the selected papers at the given positions of the selection, in that order.</summary>
    public delegate RankedPaper[] Explanation(RankedSelection selection, int[] which);

    /// <summary>
    /// Every admitted paper is scored from the ranker's selection (no result records); only the papers kept are
    /// explained. The selection stays valid throughout: nothing here ranks again on this thread.
    /// </summary>
    public static IReadOnlyList<RankedPaper> Rank(Selection select, Explanation explain, PaperIndex index, RankingProfile profile, int top,
        Func<Paper, bool>? eligible, bool applyThreshold, PaperVectors? vectors)
    {
        var learned = LearnedPreferences.Learn(profile.Ratings, index, profile);
        bool Allowed(Paper paper) => !learned.DislikedIds.Contains(paper.Id) && (eligible is null || eligible(paper));
        var admitted = select(index, profile with { Ratings = [] }, index.Papers.Count, Allowed, applyThreshold, vectors);
        if (admitted.Count == 0 || top <= 0) return [];

        var positions = new int[admitted.Count];
        for (var i = 0; i < positions.Length; i++) positions[i] = admitted.PaperAt(i);
        var meaning = vectors is null ? new double[positions.Length] : Meaning(learned, index, vectors, positions);
        var affinity = learned.WordAffinities(index, positions);
        var scores = new double[positions.Length];
        for (var i = 0; i < scores.Length; i++) scores[i] = Math.Round(admitted.Score(i) * learned.Factor(affinity[i], meaning[i]), 4);
        // Best score first; ties to the lower arXiv id, which is the lower position in the index.
        var order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (x, y) => scores[x] != scores[y] ? scores[y].CompareTo(scores[x]) : positions[x].CompareTo(positions[y]));
        var kept = order.Length > top ? order[..top] : order;
        var ranked = explain(admitted, kept);
        for (var i = 0; i < ranked.Length; i++) ranked[i] = ranked[i] with { Score = scores[kept[i]] };
        return ranked;
    }

    /// <summary>
    /// Per admitted paper, its similarity to the liked papers' mean vector less that to the disliked papers', centred
    /// on the admitted papers' mean (so that what moves a paper is being nearer than the others, not the model's
    /// baseline similarity); zero when no rated paper has a vector.
    /// </summary>
    private static double[] Meaning(LearnedPreferences learned, PaperIndex index, PaperVectors vectors, int[] positions)
    {
        var liked = Centroid(learned.Liked, index, vectors);
        var disliked = Centroid(learned.Disliked, index, vectors);
        var result = new double[positions.Length];
        if (liked is null && disliked is null) return result;
        for (var i = 0; i < positions.Length; i++)
        {
            var row = vectors.Row(positions[i]);
            result[i] = (liked is null ? 0 : VectorMath.Dot(row, liked)) - (disliked is null ? 0 : VectorMath.Dot(row, disliked));
        }
        var mean = result.Average();
        for (var i = 0; i < result.Length; i++) result[i] -= mean;
        return result;
    }

    /// <summary>The unit mean of the rated papers' vectors (their own, or their row among the ranked papers), or null when none has one.</summary>
    private static float[]? Centroid(IReadOnlyList<RatedPaper> rated, PaperIndex index, PaperVectors vectors)
    {
        var found = new List<float[]>();
        foreach (var paper in rated)
        {
            if (paper.Vector is { } own && own.Length == vectors.Dimensions) found.Add(own);
            else if (Position(index, paper.Paper.Id) is var at and >= 0 && vectors.Row(at) is var row && VectorMath.Dot(row, row) > 0) found.Add(row.ToArray());
        }
        if (found.Count == 0) return null;
        var mean = VectorMath.Mean(found, vectors.Dimensions);
        var norm = MathF.Sqrt(VectorMath.Dot(mean, mean));
        if (norm == 0) return null;
        for (var i = 0; i < mean.Length; i++) mean[i] /= norm;
        return mean;
    }

    /// <summary>Where the paper stands in the index (which is in arXiv id order), or −1.</summary>
    private static int Position(PaperIndex index, string id)
    {
        int low = 0, high = index.Papers.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = string.CompareOrdinal(index.Papers[middle].Paper.Id, id);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }
}
