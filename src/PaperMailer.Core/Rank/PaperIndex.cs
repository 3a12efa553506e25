using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>
/// The candidate papers analysed once per run, so that ranking many subscribers against the same day's papers does
/// not re-tokenize them per subscriber. Term frequencies count a title occurrence <see cref="TitleWeight"/> times:
/// a keyword in the title says more about a paper than the same word in passing in its abstract.
/// </summary>
public sealed class PaperIndex
{
    public const int TitleWeight = 2;

    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);

    public IReadOnlyList<IndexedPaper> Papers { get; }
    public double AverageLength { get; }

    private PaperIndex(IReadOnlyList<IndexedPaper> papers)
    {
        Papers = papers;
        AverageLength = papers.Count == 0 ? 1 : Math.Max(1, papers.Average(p => p.Length));
        foreach (var paper in papers)
        {
            foreach (var term in paper.TermFrequency.Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }
    }

    public static PaperIndex Build(IEnumerable<Paper> papers) =>
        new(papers.OrderBy(p => p.Id, StringComparer.Ordinal).Select(IndexedPaper.From).ToList());

    public int DocumentFrequency(string term) => _documentFrequency.GetValueOrDefault(term);

    /// <summary>BM25's inverse document frequency (the "+1" form, never negative for very common terms).</summary>
    public double InverseDocumentFrequency(string term)
    {
        var df = DocumentFrequency(term);
        return Math.Log(1 + (Papers.Count - df + 0.5) / (df + 0.5));
    }
}

public sealed class IndexedPaper
{
    public required Paper Paper { get; init; }
    public required Dictionary<string, int> TermFrequency { get; init; }
    public required HashSet<string> TitleTerms { get; init; }
    public required int Length { get; init; }

    public static IndexedPaper From(Paper paper)
    {
        var title = TextAnalyzer.Terms(paper.Title);
        var body = TextAnalyzer.Terms(paper.Abstract);
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in title) frequency[term] = frequency.GetValueOrDefault(term) + PaperIndex.TitleWeight;
        foreach (var term in body) frequency[term] = frequency.GetValueOrDefault(term) + 1;
        return new IndexedPaper
        {
            Paper = paper,
            TermFrequency = frequency,
            TitleTerms = [.. title],
            Length = title.Count * PaperIndex.TitleWeight + body.Count,
        };
    }

    public bool Contains(ProfileTerm phrase) => phrase.Terms.All(TermFrequency.ContainsKey);
}
