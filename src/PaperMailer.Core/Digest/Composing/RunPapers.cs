using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;

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

    /// <summary>The papers' vectors in <see cref="Index"/>'s order, for the semantic blend; null when ranking is lexical.</summary>
    public PaperVectors? Vectors { get; internal set; }

    public DateTimeOffset Cutoff { get; }

    public Paper? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The run's Hugging Face papers in trending order, sorted once for every "Trending today" subscriber.</summary>
    public IReadOnlyList<Paper> Trending => _trending.Value;
}
