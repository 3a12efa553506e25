namespace PaperMailer.Rank;

/// <summary>
/// Groups papers whose words are nearly the same (a re-posted preprint, the same abstract under two ids), so a digest
/// shows one of them. Candidates come from MinHash signatures split into bands, which keeps the work linear in the
/// number of papers; each candidate pair is then confirmed by the exact Jaccard similarity of the two word sets.
/// </summary>
internal static class NearDuplicates
{
    public const double MinimumSimilarity = 0.7;
    private const int Bands = 10;
    private const int RowsPerBand = 3;

    public static void Group(IReadOnlyList<IndexedPaper> papers)
    {
        var sets = papers.Select(p => p.Title.TermIds.Concat(p.Abstract.TermIds).Distinct().Order().ToArray()).ToArray();
        var parent = Enumerable.Range(0, papers.Count).ToArray();
        var buckets = new Dictionary<(int Band, ulong Hash), List<int>>();
        for (var i = 0; i < papers.Count; i++)
        {
            if (sets[i].Length == 0) continue;
            for (var band = 0; band < Bands; band++)
            {
                ulong bandHash = 14695981039346656037UL;
                for (var row = 0; row < RowsPerBand; row++)
                {
                    bandHash = (bandHash ^ MinHash(sets[i], band * RowsPerBand + row)) * 1099511628211UL;
                }
                if (!buckets.TryGetValue((band, bandHash), out var members)) buckets[(band, bandHash)] = members = [];
                foreach (var other in members)
                {
                    if (Find(parent, other) != Find(parent, i) && Jaccard(sets[i], sets[other]) >= MinimumSimilarity)
                    {
                        Union(parent, other, i);
                    }
                }
                members.Add(i);
            }
        }
        for (var i = 0; i < papers.Count; i++) papers[i].DuplicateGroup = Find(parent, i);
    }

    private static ulong MinHash(int[] set, int seed)
    {
        var min = ulong.MaxValue;
        foreach (var term in set) min = Math.Min(min, Mix((ulong)term * 0x9E3779B97F4A7C15UL + (ulong)seed * 0xBF58476D1CE4E5B9UL));
        return min;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 31; x *= 0x7FB5D329728EA185UL;
        x ^= x >> 27; x *= 0x81DADEF4BC2DD44DUL;
        return x ^ (x >> 33);
    }

    private static double Jaccard(int[] a, int[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)common / (a.Length + b.Length - common);
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    // The lower index (lower arXiv id) stays the group's representative.
    private static void Union(int[] parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }
}
