using PaperMailer.Rank.Semantic;

namespace PaperMailer.Rank;

/// <summary>
/// Per-thread working arrays for <see cref="PaperRanker"/>, reused across profiles so that ranking a profile
/// allocates nothing but its result: one relevance sum and one matched-keyword count per paper (cleared per profile,
/// which for a few hundred papers is cheaper than tracking which entries were touched), and the top selection.
/// </summary>
internal sealed class RankScratch(int capacity)
{
    public int Capacity { get; } = capacity;
    public double[] Sum { get; } = new double[capacity];

    /// <summary>Matched keywords per paper, as doubles so that it is added with the same vector instructions as <see cref="Sum"/>.</summary>
    public double[] Count { get; } = new double[capacity];

    /// <summary>Each paper's score for the profile (minus infinity where it does not qualify), for the top selection.</summary>
    public double[] Scores { get; } = new double[capacity];

    public TopSelector Selector { get; } = new();

    // For the semantic blend: which papers may not be shown (1, else 0: compared as vectors), each lexical candidate's score and relevance (NaN for a
    // paper that is not one), the candidate kept of each near-duplicate group, and the papers' similarity to the profile.
    public double[] Dropped { get; } = new double[capacity];
    public double[] LexicalScore { get; } = new double[capacity];
    public double[] LexicalRelevance { get; } = new double[capacity];
    public int[] KeptOfGroup { get; } = Enumerable.Repeat(-1, capacity).ToArray();
    public SimilarityToProfile Similarity { get; } = new();

    public KeywordPostings[] Keywords(int count)
    {
        if (_keywords.Length < count) _keywords = new KeywordPostings[count];
        return _keywords;
    }

    /// <summary>One paper's matches while its explanation is built.</summary>
    public ProfileMatch[] Found(int count)
    {
        if (_found.Length < count) _found = new ProfileMatch[count];
        return _found;
    }

    private KeywordPostings[] _keywords = new KeywordPostings[8];
    private ProfileMatch[] _found = new ProfileMatch[8];
}

/// <summary>
/// Keeps the best <c>top</c> papers seen, best first (ties to the lower index, which is the lower arXiv id), and at
/// most one paper of each near-duplicate group: the best placed. A group member that falls off the end can only be
/// replaced by a better member of the same group, so keeping one per group while inserting is exact. Papers are
/// offered in ascending index order, so once the list is full only a strictly higher score than
/// <see cref="Cutoff"/> can enter. Asked to keep every paper of the index (the semantic blend reads every lexical
/// candidate), it collects them unordered and sorts them once when first read: inserting each in order cost time
/// growing with the square of the candidates.
/// </summary>
internal sealed class TopSelector
{
    private int[] _papers = new int[16];
    private double[] _scores = new double[16];
    private double[] _relevances = new double[16];
    private int[] _groups = new int[16];
    private int[] _order = new int[16];
    private int[] _duplicateGroups = [];
    private int _top;
    private int _count;
    private bool _keepAll;
    private bool _unsorted;
    private (int[] Papers, int[] Groups, double[] Scores, double[] Relevances) _copies = ([], [], [], []);
    private readonly HashSet<int> _seenGroups = [];

    public int Count
    {
        get
        {
            if (_unsorted) Settle();
            return _count;
        }
    }

    /// <summary>How many papers the list keeps.</summary>
    public int Top => _top;

    /// <summary>The score to beat: the last kept score when the list is full, otherwise minus infinity.</summary>
    public double Cutoff => !_keepAll && _count == _top ? _scores[_count - 1] : double.NegativeInfinity;

    public void Reset(PaperIndex index, int top)
    {
        (_duplicateGroups, _top, _count, _unsorted) = (index.DuplicateGroups, top, 0, false);
        _keepAll = top >= index.Papers.Count;
        if (_papers.Length > top) return;
        _papers = new int[top + 1];
        _groups = new int[top + 1];
        _scores = new double[top + 1];
        _relevances = new double[top + 1];
        _order = new int[top + 1];
    }

    /// <summary>Empties the list, keeping its size and the index's duplicate groups.</summary>
    public void Restart() => (_count, _unsorted) = (0, false);

    public (int Paper, double Score, double Relevance) this[int i]
    {
        get
        {
            if (_unsorted) Settle();
            return (_papers[i], _scores[i], _relevances[i]);
        }
    }

    public void Offer(int paper, double score, double relevance)
    {
        if (_keepAll)
        {
            // Every paper is offered once, so the list cannot overflow; order and duplicate groups are settled when read.
            (_papers[_count], _groups[_count], _scores[_count], _relevances[_count]) = (paper, _duplicateGroups[paper], score, relevance);
            _count++;
            _unsorted = true;
            return;
        }
        if (_count == _top && !Better(paper, score, _papers[_count - 1], _scores[_count - 1])) return;
        var group = _duplicateGroups[paper];
        for (var i = 0; group >= 0 && i < _count; i++)
        {
            if (_groups[i] != group) continue;
            if (!Better(paper, score, _papers[i], _scores[i])) return;
            RemoveAt(i);
            break;
        }
        var at = _count;
        while (at > 0 && Better(paper, score, _papers[at - 1], _scores[at - 1]))
        {
            (_papers[at], _groups[at], _scores[at], _relevances[at]) = (_papers[at - 1], _groups[at - 1], _scores[at - 1], _relevances[at - 1]);
            at--;
        }
        (_papers[at], _groups[at], _scores[at], _relevances[at]) = (paper, group, score, relevance);
        if (_count < _top) _count++;
    }

    private void RemoveAt(int i)
    {
        _count--;
        Array.Copy(_papers, i + 1, _papers, i, _count - i);
        Array.Copy(_groups, i + 1, _groups, i, _count - i);
        Array.Copy(_scores, i + 1, _scores, i, _count - i);
        Array.Copy(_relevances, i + 1, _relevances, i, _count - i);
    }

    /// <summary>
    /// The collected papers best first, each near-duplicate group's best kept and the rest dropped: what inserting them
    /// one by one keeps when nothing falls off the end.
    /// </summary>
    private void Settle()
    {
        _unsorted = false;
        var order = _order.AsSpan(0, _count);
        for (var i = 0; i < order.Length; i++) order[i] = i;
        order.Sort(new ByPlace(_papers, _scores));
        // The collected entries are read from copies while the settled list is written over them (copies kept from
        // one settling to the next: ranking with ratings settles once per subscriber).
        if (_copies.Papers.Length < _count) _copies = (new int[_papers.Length], new int[_papers.Length], new double[_papers.Length], new double[_papers.Length]);
        var (papers, groups, scores, relevances) = _copies;
        Array.Copy(_papers, papers, _count);
        Array.Copy(_groups, groups, _count);
        Array.Copy(_scores, scores, _count);
        Array.Copy(_relevances, relevances, _count);
        _seenGroups.Clear();
        _count = 0;
        foreach (var i in order)
        {
            if (groups[i] >= 0 && !_seenGroups.Add(groups[i])) continue;
            (_papers[_count], _groups[_count], _scores[_count], _relevances[_count]) = (papers[i], groups[i], scores[i], relevances[i]);
            _count++;
        }
    }

    private readonly struct ByPlace(int[] papers, double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y) => Better(papers[x], scores[x], papers[y], scores[y]) ? -1 : Better(papers[y], scores[y], papers[x], scores[x]) ? 1 : 0;
    }

    private static bool Better(int paper, double score, int otherPaper, double otherScore) =>
        score > otherScore || (score == otherScore && paper < otherPaper);
}
