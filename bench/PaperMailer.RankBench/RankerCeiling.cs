using System.Diagnostics;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.RankBench;

/// <summary>
/// The ranker alone, the ceiling of <c>rank --profiles</c>: the same papers file and profiles, every profile parsed
/// and the index built before the clock starts, then every profile ranked (with its explanations) on every core, in
/// this process. Nothing is read, written or printed while it is timed.
/// </summary>
internal sealed class RankerCeiling
{
    private readonly PaperIndex _index;
    private readonly IReadOnlyList<RankingProfile> _profiles;
    private readonly PaperRanker _ranker = new(Options.Create(new RankingOptions()));
    private readonly int _top;

    private RankerCeiling(PaperIndex index, IReadOnlyList<RankingProfile> profiles, int top) =>
        (_index, _profiles, _top) = (index, profiles, top);

    public static async Task<RankerCeiling> CreateAsync(string papersFile, IReadOnlyList<RankingProfile> profiles, int top)
    {
        var index = PaperIndex.Build(await PaperFileReader.ReadFileAsync(papersFile));
        var ceiling = new RankerCeiling(index, profiles, top);
        ceiling.Measure(); // the keyword cache filled and the code compiled, as they are early in a command's run
        return ceiling;
    }

    /// <summary>Profiles per second, ranking on every core.</summary>
    public double Measure()
    {
        var watch = Stopwatch.StartNew();
        long results = 0;
        Parallel.For(0, _profiles.Count, () => 0L, (i, _, sum) => sum + _ranker.Rank(_index, _profiles[i], _top).Count,
            sum => Interlocked.Add(ref results, sum));
        return _profiles.Count / watch.Elapsed.TotalSeconds;
    }
}
