using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank.Feedback;

/// <summary>
/// What a subscriber's ratings teach, against the papers being ranked (whose document frequencies say which words are
/// distinctive): the words of liked papers raise a paper that shares them and the words of disliked papers lower it
/// (Rocchio's rule over tf-idf vectors: the mean of the liked papers' vectors minus the mean of the disliked ones,
/// cut to its <see cref="MaxTerms"/> strongest words); with paper vectors, closeness in meaning to the liked papers
/// raises and to the disliked ones lowers. Both only reorder papers the profile admits, by at most
/// <see cref="MaxShift"/> of their score either way, and they weigh in with the number of ratings
/// (<see cref="Confidence"/>), so one click cannot swamp the profile.
/// </summary>
public sealed class LearnedPreferences
{
    /// <summary>Words kept of what the ratings teach: enough to describe a taste, few enough to show on the manage page.</summary>
    public const int MaxTerms = 40;

    /// <summary>Ratings at which learning counts half; one rating counts a third, ten count five sixths.</summary>
    public const double RatingsForHalfWeight = 2;

    /// <summary>The most a paper's score moves either way: a paper the profile ranks first stays ahead of one it ranks far below.</summary>
    public const double MaxShift = 0.5;

    /// <summary>How strongly shared words move a score, per unit of cosine similarity to the learned words.</summary>
    public const double TermStrength = 2.0;

    /// <summary>How strongly closeness in meaning moves a score, per unit of cosine similarity.</summary>
    public const double MeaningStrength = 1.0;

    /// <summary>A title word counts as this many abstract words: titles say what a paper is about.</summary>
    private const int TitleRepeat = 2;

    private readonly Dictionary<int, double> _weightsByTermId;

    private LearnedPreferences(IReadOnlyList<RatedPaper> liked, IReadOnlyList<RatedPaper> disliked, IReadOnlyList<LearnedTerm> terms, Dictionary<int, double> weightsByTermId)
    {
        Liked = liked;
        Disliked = disliked;
        Raised = terms.Where(t => t.Weight > 0).ToList();
        Lowered = terms.Where(t => t.Weight < 0).OrderBy(t => t.Weight).ToList();
        _weightsByTermId = weightsByTermId;
        var count = liked.Count + disliked.Count;
        Confidence = count / (count + RatingsForHalfWeight);
        DislikedIds = disliked.Select(r => r.Paper.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Papers rated "more like this", newest rating first.</summary>
    public IReadOnlyList<RatedPaper> Liked { get; }

    /// <summary>Papers rated "less like this", newest rating first.</summary>
    public IReadOnlyList<RatedPaper> Disliked { get; }

    /// <summary>Ids of <see cref="Disliked"/>: never ranked again.</summary>
    public IReadOnlySet<string> DislikedIds { get; }

    /// <summary>Words that raise a paper, strongest first.</summary>
    public IReadOnlyList<LearnedTerm> Raised { get; }

    /// <summary>Words that lower a paper, strongest first.</summary>
    public IReadOnlyList<LearnedTerm> Lowered { get; }

    /// <summary>How much the ratings count, from 0 (none) towards 1 (many).</summary>
    public double Confidence { get; }

    /// <summary>
    /// What <paramref name="ratings"/> teach, with word weights measured against <paramref name="papers"/>. The words
    /// of <paramref name="profile"/>'s own keywords count in ranking (measured on the judged set: leaving them out did
    /// worse) but are not listed in <see cref="Raised"/> and <see cref="Lowered"/>: the subscriber typed them.
    /// </summary>
    public static LearnedPreferences Learn(IReadOnlyList<RatedPaper> ratings, PaperIndex papers, RankingProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(papers);
        var newestFirst = ratings.OrderByDescending(r => r.RatedAt).ThenBy(r => r.Paper.Id, StringComparer.Ordinal).ToList();
        var liked = newestFirst.Where(r => r.Vote == Vote.More).ToList();
        var disliked = newestFirst.Where(r => r.Vote == Vote.Less).ToList();

        var surface = new Dictionary<string, string>(StringComparer.Ordinal);
        var sum = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (group, sign) in new[] { (liked, 1.0), (disliked, -1.0) })
        {
            foreach (var rated in group)
            {
                foreach (var (term, weight, spelling) in TextVector(rated.Paper, papers))
                {
                    surface.TryAdd(term, spelling);
                    sum[term] = sum.GetValueOrDefault(term) + sign * weight / group.Count;
                }
            }
        }
        var strongest = sum.Where(t => t.Value != 0)
            .OrderByDescending(t => Math.Abs(t.Value)).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(MaxTerms).ToList();
        var norm = Math.Sqrt(strongest.Sum(t => t.Value * t.Value));
        var own = profile?.Keywords.SelectMany(k => k.Terms.Append(k.Compound ?? "")).ToHashSet(StringComparer.Ordinal) ?? [];
        var terms = strongest.Where(t => !own.Contains(t.Key)).Select(t => new LearnedTerm(surface[t.Key], Math.Round(t.Value / norm, 4))).ToList();
        var byId = new Dictionary<int, double>();
        foreach (var (term, weight) in strongest)
        {
            if (papers.TermId(term) is var id and >= 0) byId[id] = weight / norm;
        }
        return new LearnedPreferences(liked, disliked, terms, byId);
    }

    /// <summary>
    /// How far the ratings move a paper's score, as a factor between 1 − <see cref="MaxShift"/> and
    /// 1 + <see cref="MaxShift"/>: from its cosine similarity to the learned words (<see cref="WordAffinities"/>), plus
    /// its closeness in meaning to the liked papers less that to the disliked ones (0 without vectors).
    /// </summary>
    public double Factor(double wordAffinity, double meaning = 0)
    {
        var shift = Confidence * (TermStrength * wordAffinity + MeaningStrength * meaning);
        return Math.Clamp(1 + shift, 1 - MaxShift, 1 + MaxShift);
    }

    /// <summary>Per paper (positions in the index), the cosine similarity of its tf-idf vector and the learned words' weights.</summary>
    public double[] WordAffinities(PaperIndex index, IReadOnlyList<int> papers)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(papers);
        var result = new double[papers.Count];
        if (_weightsByTermId.Count == 0) return result;
        var vectors = PaperTermVectors.GetValue(index, ComputeTermVectors);
        // The learned weights spread over the vocabulary for the length of this call (zero elsewhere, which adds
        // nothing): a paper's words are then looked up by position, a hundred or so per paper.
        var dense = _dense is { } d && d.Length >= vectors.Vocabulary ? d : _dense = new double[vectors.Vocabulary];
        foreach (var (term, weight) in _weightsByTermId) dense[term] = weight;
        try
        {
            for (var i = 0; i < result.Length; i++)
            {
                var paper = vectors.Papers[papers[i]];
                double dot = 0;
                for (var k = 0; k < paper.TermIds.Length; k++) dot += dense[paper.TermIds[k]] * paper.Weights[k];
                result[i] = dot == 0 ? 0 : dot / paper.Norm;
            }
        }
        finally
        {
            foreach (var term in _weightsByTermId.Keys) dense[term] = 0;
        }
        return result;
    }

    [ThreadStatic] private static double[]? _dense;

    /// <summary>A paper's words (term ids, in the order <see cref="TermCounts"/> meets them) with their tf-idf weights, and the norm of those weights.</summary>
    private sealed record TermVector(int[] TermIds, double[] Weights, double Norm);

    private sealed record IndexTermVectors(TermVector[] Papers, int Vocabulary);

    // Worked out once per set of papers being ranked: every rated subscriber's digest weighs the same papers' words.
    private static readonly ConditionalWeakTable<PaperIndex, IndexTermVectors> PaperTermVectors = new();

    private static IndexTermVectors ComputeTermVectors(PaperIndex index)
    {
        var vocabulary = 0;
        var papers = index.Papers.Select(p =>
        {
            var counts = TermCounts(p);
            var ids = new int[counts.Count];
            var weights = new double[counts.Count];
            var k = 0;
            foreach (var (term, count) in counts)
            {
                (ids[k], weights[k]) = (term, TfIdf(count, index.PapersWith(term).Count, index));
                vocabulary = Math.Max(vocabulary, term + 1);
                k++;
            }
            var norm = Math.Sqrt(weights.Sum(w => Math.Pow(w, 2)));
            return new TermVector(ids, weights, norm > 0 ? norm : 1);
        }).ToArray();
        return new IndexTermVectors(papers, vocabulary);
    }

    private static Dictionary<int, int> TermCounts(IndexedPaper paper)
    {
        var counts = new Dictionary<int, int>();
        foreach (var term in paper.Title.TermIds) counts[term] = counts.GetValueOrDefault(term) + TitleRepeat;
        foreach (var term in paper.Abstract.TermIds) counts[term] = counts.GetValueOrDefault(term) + 1;
        return counts;
    }

    private static double TfIdf(int count, int documentFrequency, PaperIndex index) =>
        (1 + Math.Log(count)) * index.InverseDocumentFrequency(documentFrequency);

    /// <summary>
    /// A rated paper's unit tf-idf vector by term (it need not be among <paramref name="papers"/>; a word they do not
    /// contain counts as in one paper), with each term's first spelling in the paper for the manage page. Remembered
    /// per set of papers and rated paper: subscribers rate the same few papers of a day's digests.
    /// </summary>
    private static (string Term, double Weight, string Spelling)[] TextVector(Paper paper, PaperIndex papers)
    {
        var known = RatedTextVectors.GetValue(papers, _ => new ConcurrentDictionary<string, (Paper Paper, (string, double, string)[] Vector)>(StringComparer.Ordinal));
        if (known.TryGetValue(paper.Id, out var kept) && kept.Paper.Title == paper.Title && kept.Paper.Abstract == paper.Abstract) return kept.Vector;
        var vector = ComputeTextVector(paper.Title, paper.Abstract, papers);
        // A bound, not a policy: a day's ratings touch a few hundred papers.
        if (known.Count > 10_000) known.Clear();
        known[paper.Id] = (paper, vector);
        return vector;
    }

    private static readonly ConditionalWeakTable<PaperIndex, ConcurrentDictionary<string, (Paper Paper, (string, double, string)[] Vector)>> RatedTextVectors = new();

    private static (string Term, double Weight, string Spelling)[] ComputeTextVector(string title, string @abstract, PaperIndex papers)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var spellings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (text, repeat) in new[] { (title, TitleRepeat), (@abstract, 1) })
        {
            foreach (var term in TextAnalyzer.Analyze(text))
            {
                // Numbers and single letters say nothing about a taste.
                if (term.Term.Length < 3 || term.Term.All(char.IsDigit)) continue;
                counts[term.Term] = counts.GetValueOrDefault(term.Term) + repeat;
                spellings.TryAdd(term.Term, text.Substring(term.Start, term.Length).ToLowerInvariant());
            }
        }
        var weights = counts.Select(t => (t.Key, Weight: TfIdf(t.Value, Math.Max(1, papers.DocumentFrequency(t.Key)), papers))).ToList();
        var norm = Math.Sqrt(weights.Sum(w => w.Weight * w.Weight));
        return norm == 0 ? [] : weights.Select(w => (w.Key, w.Weight / norm, spellings[w.Key])).ToArray();
    }
}
