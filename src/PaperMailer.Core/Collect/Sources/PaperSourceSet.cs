using Microsoft.Extensions.Options;

namespace PaperMailer.Collect.Sources;

/// <summary>The network sources by name ("hf", "arxiv", "arxiv-feed"), and which of them are enabled.</summary>
public sealed class PaperSourceSet(
    HuggingFaceDailyPapersSource huggingFace, ArxivApiSource arxiv, ArxivFeedSource arxivFeed,
    IOptions<HuggingFaceSourceOptions> huggingFaceOptions, IOptions<ArxivSourceOptions> arxivOptions, IOptions<ArxivFeedSourceOptions> arxivFeedOptions)
{
    public static readonly IReadOnlyList<string> Names = [HuggingFaceDailyPapersSource.SourceName, ArxivApiSource.SourceName, ArxivFeedSource.SourceName];

    public IReadOnlyList<IIncrementalPaperSource> All => [huggingFace, arxiv, arxivFeed];

    public IReadOnlyList<IIncrementalPaperSource> Enabled => All.Where(s => OptionsOf(s.Name).Enabled).ToList();

    public IIncrementalPaperSource? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public HttpSourceOptions OptionsOf(string name) => name switch
    {
        HuggingFaceDailyPapersSource.SourceName => huggingFaceOptions.Value,
        ArxivApiSource.SourceName => arxivOptions.Value,
        ArxivFeedSource.SourceName => arxivFeedOptions.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown source."),
    };
}
