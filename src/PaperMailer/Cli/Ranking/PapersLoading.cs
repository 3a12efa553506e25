using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// A papers file read and indexed in the background. Neither needs a setting, so <c>rank</c> starts them before the
/// settings are checked and the services built (a few hundred milliseconds of CPU each for a few hundred papers): on
/// a machine with a second core the two run side by side instead of one after the other. The command still says a
/// settings problem first, and a problem with the papers file before anything else is read.
/// </summary>
internal sealed class PapersLoading
{
    private PapersLoading(Task<IReadOnlyList<Paper>> papers)
    {
        Papers = papers;
        Index = papers.ContinueWith(
            static read => PaperIndex.Build(read.Result),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>The papers; faults with <see cref="PaperFormatException"/> for a file that cannot be used.</summary>
    public Task<IReadOnlyList<Paper>> Papers { get; }

    /// <summary>The papers indexed (cancelled when they could not be read).</summary>
    public Task<PaperIndex> Index { get; }

    public static PapersLoading Start(string path, CancellationToken cancellationToken) =>
        new(Task.Run(() => PaperFileReader.ReadFileAsync(path, cancellationToken), cancellationToken));

    /// <summary>Papers already read, indexed in the background.</summary>
    public static PapersLoading Of(IReadOnlyList<Paper> papers) => new(Task.Run(() => papers));
}
