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
/// <see cref="Cutoff"/> can enter.
/// </summary>
internal sealed class TopSelector
{
    private int[] _papers = new int[16];
    private double[] _scores = new double[16];
    private double[] _relevances = new double[16];
    private int[] _groups = new int[16];
    private int[] _duplicateGroups = [];
    private int _top;

    public int Count { get; private set; }

    /// <summary>How many papers the list keeps.</summary>
    public int Top => _top;

    /// <summary>The score to beat: the last kept score when the list is full, otherwise minus infinity.</summary>
    public double Cutoff => Count == _top ? _scores[Count - 1] : double.NegativeInfinity;

    public void Reset(PaperIndex index, int top)
    {
        (_duplicateGroups, _top, Count) = (index.DuplicateGroups, top, 0);
        if (_papers.Length > top) return;
        _papers = new int[top + 1];
        _groups = new int[top + 1];
        _scores = new double[top + 1];
        _relevances = new double[top + 1];
    }

    /// <summary>Empties the list, keeping its size and the index's duplicate groups.</summary>
    public void Restart() => Count = 0;

    public (int Paper, double Score, double Relevance) this[int i] => (_papers[i], _scores[i], _relevances[i]);

    public void Offer(int paper, double score, double relevance)
    {
        if (Count == _top && !Better(paper, score, _papers[Count - 1], _scores[Count - 1])) return;
        var group = _duplicateGroups[paper];
        for (var i = 0; group >= 0 && i < Count; i++)
        {
            if (_groups[i] != group) continue;
            if (!Better(paper, score, _papers[i], _scores[i])) return;
            RemoveAt(i);
            break;
        }
        var at = Count;
        while (at > 0 && Better(paper, score, _papers[at - 1], _scores[at - 1]))
        {
            (_papers[at], _groups[at], _scores[at], _relevances[at]) = (_papers[at - 1], _groups[at - 1], _scores[at - 1], _relevances[at - 1]);
            at--;
        }
        (_papers[at], _groups[at], _scores[at], _relevances[at]) = (paper, group, score, relevance);
        if (Count < _top) Count++;
    }

    private void RemoveAt(int i)
    {
        Count--;
        Array.Copy(_papers, i + 1, _papers, i, Count - i);
        Array.Copy(_groups, i + 1, _groups, i, Count - i);
        Array.Copy(_scores, i + 1, _scores, i, Count - i);
        Array.Copy(_relevances, i + 1, _relevances, i, Count - i);
    }

    private static bool Better(int paper, double score, int otherPaper, double otherScore) =>
        score > otherScore || (score == otherScore && paper < otherPaper);
}
