using PaperMailer.Rank;

namespace PaperMailer.Digest.Composing;

/// <summary>
/// A digest's papers in its two sections: the personal one (ranked against the profile, best first) and, for a
/// subscriber who chose "Trending today", the trending one after it (most upvoted first). No paper is in both.
/// The ledger records them as one list, personal first, with the length of the trending part.
/// </summary>
public sealed record DigestPapers(IReadOnlyList<RankedPaper> Personal, IReadOnlyList<RankedPaper> Trending)
{
    public static DigestPapers None { get; } = new([], []);

    public int Count => Personal.Count + Trending.Count;

    /// <summary>Every paper id in digest order, as the ledger records them.</summary>
    public IReadOnlyList<string> Ids => Personal.Concat(Trending).Select(r => r.Paper.Id).ToList();

    /// <summary>
    /// Why each paper is there, as the ledger records it (<see cref="PaperExplanation.Recorded"/>), in <see cref="Ids"/>'
    /// order (empty for most trending papers).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Matches => Personal.Concat(Trending).Select(PaperExplanation.Recorded).ToList();
}
