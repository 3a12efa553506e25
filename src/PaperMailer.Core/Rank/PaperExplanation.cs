namespace PaperMailer.Rank;

/// <summary>
/// Why a ranked paper is in a list, said the one way every place that shows it says it (the digest's text part, the
/// feed, <c>rank</c>): "Matched: tool use; partly: generation", "Partly matched: generation", or "Similar in meaning
/// to: graph neural networks". Each part is checkable against the paper's title and abstract (see
/// <see cref="RankedPaper"/>). Also how a digest records it in the ledger, as one list of strings per paper.
/// </summary>
public static class PaperExplanation
{
    // The ledger keeps a paper's explanation as a list of strings: the matched keywords as they are (as the ledger
    // recorded them before partial and semantic matches were told apart), the other parts behind a marker that no
    // typed keyword starts with (a control character, which the profile language has no use for).
    private const string PartlyMarker = "\u0001partly:";
    private const string SimilarMarker = "\u0001similar:";

    /// <summary>The sentence, without a final full stop; empty when nothing explains the paper (a trending paper).</summary>
    public static string Describe(RankedPaper ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        return Describe(ranked.Matched, ranked.Partly, ranked.SimilarTo);
    }

    /// <summary>The sentence for an explanation as the ledger recorded it (see <see cref="Recorded"/>).</summary>
    public static string DescribeRecorded(IReadOnlyList<string> recorded)
    {
        var (matched, partly, similar) = Read(recorded);
        return Describe(matched, partly, similar);
    }

    private static string Describe(IReadOnlyList<string> matchedKeywords, IReadOnlyList<string> partlyWords, string? similarTo)
    {
        if (similarTo is not null && matchedKeywords.Count == 0 && partlyWords.Count == 0) return $"Similar in meaning to: {similarTo}";
        var partly = string.Join(", ", partlyWords);
        if (matchedKeywords.Count == 0) return partly.Length == 0 ? "" : $"Partly matched: {partly}";
        var matched = $"Matched: {string.Join(", ", matchedKeywords)}";
        return partly.Length == 0 ? matched : $"{matched}; partly: {partly}";
    }

    /// <summary>The explanation as the ledger records it with the digest (see <see cref="AsRecorded"/>).</summary>
    public static IReadOnlyList<string> Recorded(RankedPaper ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        if (ranked.Partly.Count == 0 && ranked.SimilarTo is null) return ranked.Matched;
        var recorded = new List<string>(ranked.Matched);
        recorded.AddRange(ranked.Partly.Select(words => PartlyMarker + words));
        if (ranked.SimilarTo is { } similar) recorded.Add(SimilarMarker + similar);
        return recorded;
    }

    /// <summary>The paper explained as <paramref name="recorded"/> says (what the email said), whatever the profile is now.</summary>
    public static RankedPaper AsRecorded(RankedPaper ranked, IReadOnlyList<string> recorded)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var (matched, partly, similar) = Read(recorded);
        return ranked with { Matched = matched, Partly = partly, SimilarTo = similar };
    }

    private static (IReadOnlyList<string> Matched, IReadOnlyList<string> Partly, string? SimilarTo) Read(IReadOnlyList<string> recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var matched = recorded.Where(item => !item.StartsWith('\u0001')).ToList();
        var partly = recorded.Where(item => item.StartsWith(PartlyMarker, StringComparison.Ordinal)).Select(item => item[PartlyMarker.Length..]).ToList();
        var similar = recorded.FirstOrDefault(item => item.StartsWith(SimilarMarker, StringComparison.Ordinal))?[SimilarMarker.Length..];
        return (matched, partly, similar);
    }
}
