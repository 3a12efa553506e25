using System.Collections.Concurrent;
using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>
/// The candidate papers analysed once per run, so that ranking many subscribers against the same papers does not
/// re-analyse them per subscriber: term positions per field (title, abstract), an inverted index, the acronyms the
/// papers define, near-duplicate groups, and a cache of keyword matches shared by every profile that names the same
/// keyword. Papers are held in arXiv id order, so a lower index means a lower id.
/// </summary>
public sealed class PaperIndex
{
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<List<int>> _postings = [];
    private readonly ConcurrentDictionary<RankingOptions, ConcurrentDictionary<string, KeywordPostings>> _keywordCaches = new();
    private readonly ConcurrentDictionary<RankingOptions, double[]> _secondaryCache = new();

    public IReadOnlyList<IndexedPaper> Papers { get; }
    public AcronymTable Acronyms { get; } = new();
    public double AverageTitleLength { get; }
    public double AverageAbstractLength { get; }

    private PaperIndex(IReadOnlyList<Paper> papers)
    {
        for (var i = 0; i < papers.Count; i++)
        {
            Acronyms.LearnFrom(papers[i].Title, i);
            Acronyms.LearnFrom(papers[i].Abstract, i);
        }
        var newest = papers.Select(Date).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var indexed = new List<IndexedPaper>(papers.Count);
        for (var i = 0; i < papers.Count; i++)
        {
            var paper = new IndexedPaper(papers[i], i, Field(papers[i].Title), Field(papers[i].Abstract), newest - Date(papers[i]));
            foreach (var term in paper.Title.TermIds.Concat(paper.Abstract.TermIds).Distinct())
            {
                _postings[term].Add(i);
            }
            indexed.Add(paper);
        }
        Papers = indexed;
        AverageTitleLength = papers.Count == 0 ? 1 : Math.Max(1, indexed.Average(p => p.Title.Length));
        AverageAbstractLength = papers.Count == 0 ? 1 : Math.Max(1, indexed.Average(p => p.Abstract.Length));
        NearDuplicates.Group(indexed);
        // A paper alone in its group is marked -1: the ranker then need not look for another member among its picks.
        var sizes = indexed.CountBy(p => p.DuplicateGroup).ToDictionary();
        DuplicateGroups = indexed.Select(p => sizes[p.DuplicateGroup] > 1 ? p.DuplicateGroup : -1).ToArray();
    }

    /// <summary>
    /// <see cref="IndexedPaper.DuplicateGroup"/> of every paper, by index, or -1 for a paper without near-duplicates;
    /// for the ranker's inner loop.
    /// </summary>
    internal int[] DuplicateGroups { get; }

    public static PaperIndex Build(IEnumerable<Paper> papers) =>
        new(papers.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.First()).OrderBy(p => p.Id, StringComparer.Ordinal).ToList());

    public int TermId(string term) => _termIds.GetValueOrDefault(term, -1);

    /// <summary>Indexes (ascending) of the papers containing the term in any field.</summary>
    public IReadOnlyList<int> PapersWith(int termId) => termId < 0 ? [] : _postings[termId];

    public int DocumentFrequency(string term) => PapersWith(TermId(term)).Count;

    /// <summary>BM25's inverse document frequency (the "+1" form, never negative for very common terms).</summary>
    public double InverseDocumentFrequency(int documentFrequency) =>
        Math.Log(1 + (Papers.Count - documentFrequency + 0.5) / (documentFrequency + 0.5));

    /// <summary>
    /// The matches of every keyword already asked for with these options, by <see cref="ProfileTerm.MatchKey"/>: topic
    /// keywords repeat across thousands of profiles, so each is matched against the papers once per index.
    /// </summary>
    internal ConcurrentDictionary<string, KeywordPostings> KeywordCache(RankingOptions options) =>
        _keywordCaches.GetOrAdd(options, static _ => new ConcurrentDictionary<string, KeywordPostings>(StringComparer.Ordinal));

    internal KeywordPostings Keyword(ProfileTerm keyword, RankingOptions options) => Keyword(keyword, options, KeywordCache(options));

    internal KeywordPostings Keyword(ProfileTerm keyword, RankingOptions options, ConcurrentDictionary<string, KeywordPostings> cache) =>
        cache.TryGetValue(keyword.MatchKey, out var cached)
            ? cached
            : cache.GetOrAdd(keyword.MatchKey, static (_, state) => KeywordMatcher.Match(state.Index, state.Keyword, state.Options), (Index: this, Keyword: keyword, Options: options));

    /// <summary>
    /// Per paper, 1 + a bounded share for Hugging Face upvotes (logarithmic) and recency (halving with age behind the
    /// newest candidate). Computed once per index and options.
    /// </summary>
    internal double[] SecondaryFactors(RankingOptions options) => _secondaryCache.GetOrAdd(options, static (o, papers) => papers.Select(p =>
    {
        var upvotes = Math.Min(1, Math.Log(1 + Math.Max(0, p.Paper.Upvotes ?? 0)) / Math.Log(1 + o.UpvotesForFullWeight));
        var recency = Math.Pow(0.5, p.AgeBehindNewest / o.RecencyHalfLife);
        return 1 + o.UpvoteWeight * upvotes + o.RecencyWeight * recency;
    }).ToArray(), Papers);

    private FieldTerms Field(string text)
    {
        var analyzed = TextAnalyzer.Analyze(text);
        var ids = new int[analyzed.Count];
        var positions = new int[analyzed.Count];
        var starts = new int[analyzed.Count];
        var lengths = new int[analyzed.Count];
        for (var i = 0; i < analyzed.Count; i++)
        {
            var term = analyzed[i];
            if (!_termIds.TryGetValue(term.Term, out var id))
            {
                _termIds[term.Term] = id = _termIds.Count;
                _postings.Add([]);
            }
            (ids[i], positions[i], starts[i], lengths[i]) = (id, term.Position, term.Start, term.Length);
        }
        var length = analyzed.Count == 0 ? 0 : positions[^1] + 1;
        return new FieldTerms(ids, positions, starts, lengths, length);
    }

    private static DateTimeOffset Date(Paper paper) => paper.PublishedAt ?? paper.FirstSeenAt;
}

/// <summary>One field's analysed terms: term ids in text order with their positions and character spans.</summary>
public sealed record FieldTerms(int[] TermIds, int[] Positions, int[] Starts, int[] Lengths, int Length);

public sealed class IndexedPaper(Paper paper, int index, FieldTerms title, FieldTerms @abstract, TimeSpan ageBehindNewest)
{
    public Paper Paper { get; } = paper;
    public int Index { get; } = index;
    public FieldTerms Title { get; } = title;
    public FieldTerms Abstract { get; } = @abstract;

    /// <summary>How much older than the newest candidate this paper is (recency is relative to the run's papers, not the clock).</summary>
    public TimeSpan AgeBehindNewest { get; } = ageBehindNewest < TimeSpan.Zero ? TimeSpan.Zero : ageBehindNewest;

    /// <summary>Index of the first paper of this paper's near-duplicate group (its own index when it has none).</summary>
    public int DuplicateGroup { get; internal set; } = index;
}
