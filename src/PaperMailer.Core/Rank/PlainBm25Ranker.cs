using PaperMailer.Domain;

namespace PaperMailer.Rank;

/// <summary>
/// Plain bag-of-words BM25 (the project's first ranker: title words counted twice, exclusions as whole terms, no
/// phrases, acronyms, coverage, threshold or explanations). Kept as the baseline that the judged quality test and
/// the ranking benchmark compare <see cref="PaperRanker"/> against; not used by digests.
/// </summary>
public sealed class PlainBm25Ranker
{
    private const double K1 = 1.2, B = 0.75;
    private const int TitleRepeat = 2;

    private readonly PaperIndex _index;
    private readonly Dictionary<int, (int[] Papers, float[] Weights)> _postings = [];
    private readonly double[] _scores;
    private readonly int[] _seen;
    private readonly List<int> _touched = [];
    private int _stamp;

    public PlainBm25Ranker(PaperIndex index)
    {
        _index = index;
        var lengths = index.Papers.Select(p => (double)(p.Title.Length * TitleRepeat + p.Abstract.Length)).ToArray();
        var average = Math.Max(1, lengths.DefaultIfEmpty(1).Average());
        var byTerm = new Dictionary<int, List<(int Paper, int Frequency)>>();
        foreach (var paper in index.Papers)
        {
            var frequency = new Dictionary<int, int>();
            foreach (var term in paper.Title.TermIds) frequency[term] = frequency.GetValueOrDefault(term) + TitleRepeat;
            foreach (var term in paper.Abstract.TermIds) frequency[term] = frequency.GetValueOrDefault(term) + 1;
            foreach (var (term, tf) in frequency)
            {
                if (!byTerm.TryGetValue(term, out var list)) byTerm[term] = list = [];
                list.Add((paper.Index, tf));
            }
        }
        foreach (var (term, list) in byTerm)
        {
            var idf = index.InverseDocumentFrequency(list.Count);
            _postings[term] = (list.Select(x => x.Paper).ToArray(),
                list.Select(x => (float)(idf * x.Frequency * (K1 + 1) / (x.Frequency + K1 * (1 - B + B * lengths[x.Paper] / average)))).ToArray());
        }
        _scores = new double[index.Papers.Count];
        _seen = new int[index.Papers.Count];
    }

    /// <summary>Term ids of a profile's keywords and exclusions, resolved once (unknown terms dropped).</summary>
    public (int[] Terms, int[] Excluded) Compile(RankingProfile profile) => (
        profile.Keywords.SelectMany(k => k.Terms).Distinct().Select(_index.TermId).Where(id => id >= 0).ToArray(),
        profile.Exclusions.Where(e => e.Terms.Count == 1).Select(e => _index.TermId(e.Terms[0])).Where(id => id >= 0).ToArray());

    public IReadOnlyList<(Paper Paper, double Score)> Rank((int[] Terms, int[] Excluded) query, int top)
    {
        _stamp++;
        _touched.Clear();
        foreach (var term in query.Terms)
        {
            var (papers, weights) = _postings[term];
            for (var i = 0; i < papers.Length; i++)
            {
                var paper = papers[i];
                if (_seen[paper] != _stamp) { _seen[paper] = _stamp; _scores[paper] = 0; _touched.Add(paper); }
                _scores[paper] += weights[i];
            }
        }
        foreach (var term in query.Excluded)
        {
            foreach (var paper in _postings[term].Papers) _scores[paper] = double.NegativeInfinity;
        }
        var best = new List<int>(top + 1);
        foreach (var paper in _touched)
        {
            if (double.IsNegativeInfinity(_scores[paper])) continue;
            if (best.Count == top && !Better(paper, best[^1])) continue;
            var at = best.Count;
            while (at > 0 && Better(paper, best[at - 1])) at--;
            best.Insert(at, paper);
            if (best.Count > top) best.RemoveAt(top);
        }
        return best.Select(p => (_index.Papers[p].Paper, _scores[p])).ToList();
    }

    private bool Better(int paper, int other) => _scores[paper] > _scores[other] || (_scores[paper] == _scores[other] && paper < other);
}
