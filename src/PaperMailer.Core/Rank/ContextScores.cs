using System.Collections.Concurrent;

namespace PaperMailer.Rank;

/// <summary>
/// A preset topic's context words (<see cref="RankingProfile.Context"/>) in ranking: each adds its keyword score to
/// the papers that a keyword already matched, and to no other, so a generic word ("control", "benchmark") orders a
/// topic's papers without ever bringing in a paper of another field.
/// </summary>
internal static class ContextScores
{
    /// <summary>Adds to <paramref name="sum"/> every context word's score where <paramref name="count"/> (keywords matched) is above zero.</summary>
    public static void Add(PaperIndex index, RankingProfile profile, RankingOptions options, ConcurrentDictionary<string, KeywordPostings> cache,
        Span<double> sum, ReadOnlySpan<double> count)
    {
        foreach (var word in profile.Context)
        {
            var postings = index.Keyword(word, options, cache);
            var papers = postings.Papers;
            var scores = postings.Scores;
            for (var i = 0; i < papers.Length; i++)
            {
                if (count[papers[i]] > 0) sum[papers[i]] += scores[i];
            }
        }
    }
}
