using PaperMailer.Domain;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Rank;

/// <summary>One keyword's match in a chosen paper, under the keyword as this profile typed it.</summary>
/// <param name="Term">The profile's own keyword (a match is shared by every profile whose keyword analyses alike, and
/// carries the spelling of the profile that asked first).</param>
public readonly record struct ProfileMatch(ProfileTerm Term, KeywordMatch Match)
{
    /// <summary>The profile's own spelling of the keyword.</summary>
    public string Keyword => Term.Text;

    /// <summary>
    /// Whether the keyword is named among the keywords a paper "matched": only when the paper contains every one of
    /// its words (or a form of it: its acronym, its closed compound). A partial match is shown as what it is.
    /// </summary>
    public bool IsWhole => !Match.Partial;

    /// <summary>For a partial match, the keyword's words (as typed) that the paper contains: "partly: generation".</summary>
    public string PartWords => Term.WordsOf(Match.PresentTerms);
}

/// <summary>
/// The papers <see cref="PaperRanker"/> chose for one profile, best first, read where the ranker keeps them: no
/// result records are made. <see cref="PaperRanker.Rank"/> makes its <see cref="RankedPaper"/>s from it; a caller
/// that only writes the results out (<c>rank --profiles</c>, hundreds of thousands of profiles) reads it directly.
/// Valid until the same thread ranks again.
/// </summary>
public readonly ref struct RankedSelection
{
    private readonly PaperIndex _index;
    private readonly RankingProfile _profile;
    private readonly TopSelector _selector;
    private readonly KeywordPostings[] _keywords;
    private readonly SimilarityToProfile? _meaning;
    private readonly double _minSimilarity;

    internal RankedSelection(PaperIndex index, RankingProfile profile, TopSelector selector, KeywordPostings[] keywords) =>
        (_index, _profile, _selector, _keywords) = (index, profile, selector, keywords);

    /// <summary>A selection by the semantic blend: a paper kept with relevance minus one got in on meaning alone.</summary>
    internal RankedSelection(PaperIndex index, RankingProfile profile, TopSelector selector, KeywordPostings[] keywords,
        SimilarityToProfile meaning, double minSimilarity)
        : this(index, profile, selector, keywords) => (_meaning, _minSimilarity) = (meaning, minSimilarity);

    /// <summary>How many papers were chosen (none when the profile has no keywords or nothing qualified).</summary>
    public int Count => _selector?.Count ?? 0;

    /// <summary>The profile's keywords: the most matches a paper can have (see <see cref="Matches"/>).</summary>
    public int KeywordCount => _profile?.Keywords.Count ?? 0;

    /// <summary>The position in <see cref="PaperIndex.Papers"/> of the <paramref name="i"/>-th chosen paper.</summary>
    public int PaperAt(int i) => _selector[i].Paper;

    public Paper Paper(int i) => _index.Papers[PaperAt(i)].Paper;

    /// <summary>The score the papers are ordered by, rounded to 4 decimals.</summary>
    public double Score(int i) => Math.Round(_selector[i].Score, 4);

    /// <summary>Relevance alone, before upvotes and recency, rounded to 4 decimals (0 for a paper in on meaning alone).</summary>
    public double Relevance(int i) => ByMeaning(i) ? 0 : Math.Round(_selector[i].Relevance, 4);

    /// <summary>
    /// Whether the <paramref name="i"/>-th paper got in on similarity of meaning alone (no keyword reached the lexical
    /// threshold): it is explained by <see cref="SimilarInMeaning"/>, not by matches.
    /// </summary>
    public bool ByMeaning(int i) => _meaning is not null && _selector[i].Relevance < 0;

    /// <summary>For a paper in on meaning alone, the keyword or topic it is closest to and its similarity (cosine).</summary>
    public (string SimilarTo, double Similarity) SimilarInMeaning(int i) => BlendedRanking.SimilarInMeaning(_meaning!, PaperAt(i), _minSimilarity);

    /// <summary>
    /// The <paramref name="i"/>-th paper's matches, one per profile keyword it matches, in the profile's keyword order,
    /// written to <paramref name="found"/> (at least <see cref="KeywordCount"/> long); returns how many there are,
    /// and in <paramref name="whole"/> how many of them are whole (<see cref="ProfileMatch.IsWhole"/>). None for a paper
    /// in on meaning alone: what it shares with a keyword did not admit it, so it is not shown as a reason.
    /// </summary>
    public int Matches(int i, Span<ProfileMatch> found, out int whole)
    {
        var paper = PaperAt(i);
        var count = 0;
        whole = 0;
        if (ByMeaning(i)) return 0;
        for (var k = 0; k < KeywordCount; k++)
        {
            if (_keywords[k].MatchFor(paper) is not { } match) continue;
            found[count++] = new ProfileMatch(_profile.Keywords[k], match);
            if (!match.Partial) whole++;
        }
        return count;
    }
}
