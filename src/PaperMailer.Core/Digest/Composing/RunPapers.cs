using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Digest.Composing;

/// <summary>
/// The papers one run ranks against: everything first collected within the statistics window before the cut-off,
/// indexed once and shared by every subscriber (each sees only its own window of it).
/// </summary>
public sealed class RunPapers
{
    private readonly Dictionary<string, Paper> _byId;

    public RunPapers(IReadOnlyList<Paper> papers, DateTimeOffset cutoff)
    {
        Index = PaperIndex.Build(papers);
        Cutoff = cutoff;
        _byId = papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _trending = new Lazy<IReadOnlyList<Paper>>(() => TrendingSelection.Order(papers));
    }

    private readonly Lazy<IReadOnlyList<Paper>> _trending;

    public PaperIndex Index { get; }

    public DateTimeOffset Cutoff { get; }

    public Paper? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The run's Hugging Face papers in trending order, sorted once for every "Trending today" subscriber.</summary>
    public IReadOnlyList<Paper> Trending => _trending.Value;
}
