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
    string? Via)
{
    /// <summary>
    /// Only some of the keyword's words occur: it adds a little to the score (and may admit a paper, as a keyword of
    /// several words is often written with some of them only), and is shown as what it is ("partly: generation"),
    /// never as a match.
    /// </summary>
    public bool Partial { get; init; }

    /// <summary>
    /// Which of the keyword's terms the paper contains, one bit per term in the keyword's order (terms past the 64th
    /// are not tracked): the words a partial match names (<see cref="ProfileTerm.WordsOf"/>).
    /// </summary>
    public ulong PresentTerms { get; init; }

    /// <summary>For a partial match, the words of <see cref="Keyword"/> (as typed) that the paper contains; else null.</summary>
    public string? PartWords => Partial ? ProfileTerms.Of(Keyword, exact: false)?.WordsOf(PresentTerms) : null;
}

/// <summary>
/// Every paper of an index that matches one keyword, ascending by paper index, with its keyword score (phrase,
/// proximity and partial-match factors already applied). A keyword that matches a large share of the papers also
/// keeps its scores as one value per paper (<see cref="Dense"/>, zero where it does not match), because adding such a
/// vector to a profile's sums with vector instructions is cheaper than visiting its postings one by one.
/// </summary>
internal sealed class KeywordPostings
{
    /// <summary>At least one paper in this many must match for the dense form to be kept (bounds its memory).</summary>
    private const int DenseFromOneIn = 16;

    public static readonly KeywordPostings None = new([], [], [], 0);

    public KeywordPostings(int[] papers, float[] scores, KeywordMatch[] matches, int paperCount)
    {
        (Papers, Scores, Matches) = (papers, scores, matches);
        if (papers.Length == 0 || papers.Length * DenseFromOneIn < paperCount) return;
        Dense = new double[paperCount];
        _matchByPaper = new KeywordMatch?[paperCount];
        for (var i = 0; i < papers.Length; i++) (Dense[papers[i]], _matchByPaper[papers[i]]) = (scores[i], matches[i]);
    }

    private readonly KeywordMatch?[]? _matchByPaper;

    public int[] Papers { get; }
    public float[] Scores { get; }
    public KeywordMatch[] Matches { get; }

    /// <summary>
    /// For a one-word keyword that the papers define as an acronym with more than one meaning: those meanings, so the
    /// ranker can narrow the matches to what a profile means (<see cref="AcronymSenses"/>); otherwise null.
    /// </summary>
    public AcronymSenses? Senses { get; init; }

    /// <summary>The score per paper index (0 where the keyword does not match), or null for a rare keyword.</summary>
    public double[]? Dense { get; }

    public KeywordMatch? MatchFor(int paper)
    {
        if (_matchByPaper is not null) return _matchByPaper[paper];
        var at = Array.BinarySearch(Papers, paper);
        return at >= 0 ? Matches[at] : null;
    }
}
