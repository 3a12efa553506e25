namespace PaperMailer.Rank;

/// <summary>
/// Per-thread working arrays for <see cref="PaperRanker"/>, reused across profiles so that ranking a profile touches
/// only the papers its keywords match instead of clearing an array per paper. A stamp marks which entries belong to
/// the current profile.
/// </summary>
internal sealed class RankScratch(int capacity)
{
    private int _stamp;

    public int Capacity { get; } = capacity;
    public int[] Seen { get; } = new int[capacity];
    public int[] Excluded { get; } = new int[capacity];
    public double[] Sum { get; } = new double[capacity];
    public int[] Count { get; } = new int[capacity];
    public List<int> Touched { get; } = new(capacity);

    public int NextStamp()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(Seen);
            Array.Clear(Excluded);
            _stamp = 1;
        }
        return _stamp;
    }
}

/// <summary>
/// Keeps the best <c>top</c> papers seen, best first (ties to the lower index, which is the lower arXiv id), and at
/// most one paper of each near-duplicate group: the best placed. A group member that falls off the end can only be
/// replaced by a better member of the same group, so keeping one per group while inserting is exact.
/// </summary>
internal sealed class TopSelector(PaperIndex index, int top, int expected)
{
    private readonly List<(int Paper, double Score, double Relevance)> _best = new(Math.Min(top, expected));

    public IReadOnlyList<(int Paper, double Score, double Relevance)> Best => _best;

    public void Offer(int paper, double score, double relevance)
    {
        if (_best.Count == top && !Better(paper, score, _best[^1].Paper, _best[^1].Score)) return;
        var group = index.Papers[paper].DuplicateGroup;
        for (var i = 0; i < _best.Count; i++)
        {
            if (index.Papers[_best[i].Paper].DuplicateGroup != group) continue;
            if (!Better(paper, score, _best[i].Paper, _best[i].Score)) return;
            _best.RemoveAt(i);
            break;
        }
        var at = _best.Count;
        while (at > 0 && Better(paper, score, _best[at - 1].Paper, _best[at - 1].Score)) at--;
        _best.Insert(at, (paper, score, relevance));
        if (_best.Count > top) _best.RemoveAt(_best.Count - 1);
    }

    private static bool Better(int paper, double score, int otherPaper, double otherScore) =>
        score > otherScore || (score == otherScore && paper < otherPaper);
}
