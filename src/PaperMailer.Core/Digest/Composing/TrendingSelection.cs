using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Digest.Composing;

/// <summary>
/// "Trending today", as Hugging Face's Daily Papers list it: the papers Hugging Face listed, most upvoted first, then
/// most commented, then the newest, then by arXiv id (so the order is the same on every run). Upvotes order the list
/// and never enter a profile's ranking here.
/// </summary>
public static class TrendingSelection
{
    /// <summary>The papers Hugging Face listed (they alone carry upvotes), in trending order.</summary>
    public static IReadOnlyList<Paper> Order(IEnumerable<Paper> papers) =>
        papers.Where(p => p.Upvotes is not null)
            .OrderByDescending(p => p.Upvotes)
            .ThenByDescending(p => p.Comments ?? 0)
            .ThenByDescending(p => p.PublishedAt ?? p.SubmittedOnDailyAt ?? p.FirstSeenAt)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The first <paramref name="top"/> of <paramref name="ordered"/> that are <paramref name="eligible"/>, as ranked
    /// papers whose score is their upvotes and which matched no keyword.
    /// </summary>
    public static IReadOnlyList<RankedPaper> Pick(IReadOnlyList<Paper> ordered, Func<Paper, bool> eligible, int top) =>
        ordered.Where(eligible).Take(top).Select(p => new RankedPaper(p, p.Upvotes ?? 0, [])).ToList();
}
