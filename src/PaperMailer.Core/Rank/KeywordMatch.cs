namespace PaperMailer.Rank;

/// <summary>A stretch of a paper's title or abstract to highlight: character offset and length in the original text.</summary>
public readonly record struct HighlightSpan(int Start, int Length);

/// <summary>
/// Why a paper matched one profile keyword: where (title, abstract), the exact stretches of text, and, when the paper
/// used another form of the keyword (an acronym it defines, a closed compound), the words it actually used.
/// </summary>
public sealed record KeywordMatch(
    string Keyword,
    bool InTitle,
    bool InAbstract,
    IReadOnlyList<HighlightSpan> TitleSpans,
    IReadOnlyList<HighlightSpan> AbstractSpans,
    string? Via);

/// <summary>Every paper of an index that matches one keyword, ascending by paper index, with its keyword score.</summary>
internal sealed record KeywordPostings(int[] Papers, float[] Scores, KeywordMatch[] Matches)
{
    public static readonly KeywordPostings None = new([], [], []);

    public KeywordMatch? MatchFor(int paper)
    {
        var at = Array.BinarySearch(Papers, paper);
        return at >= 0 ? Matches[at] : null;
    }
}
