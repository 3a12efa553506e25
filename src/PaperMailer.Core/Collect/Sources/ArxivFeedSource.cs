using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// arXiv's announcement feed for the configured categories: one request per run for the latest announcement. New
/// submissions and cross-lists are taken; replacements (new versions of older papers) only when configured.
/// </summary>
public sealed class ArxivFeedSource(SourceHttpClient http, ArxivRequestPacer pacer, IOptions<ArxivFeedSourceOptions> options,
    IOptions<ArxivSourceOptions> arxiv, ILogger<ArxivFeedSource> logger) : IIncrementalPaperSource
{
    public const string SourceName = "arxiv-feed";

    private static readonly HashSet<string> Announcements = ["new", "cross"];
    private static readonly HashSet<string> Replacements = ["replace", "replace-cross"];

    public string Name => SourceName;

    public async Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) =>
        (await FetchSinceAsync(new SourceRequest(null, null), cancellationToken)).Papers;

    public async Task<SourceFetch> FetchSinceAsync(SourceRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = settings.Url("/atom/" + string.Join('+', arxiv.Value.EffectiveCategories.Select(Uri.EscapeDataString)));
        var body = await http.GetAsync(Name, url, settings, pacer.Pacer, cancellationToken);
        var feed = ArxivAtomReader.Read(body, $"{Name}: {url}");
        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var entry in feed.Entries)
        {
            var type = entry.AnnounceType ?? "new";
            if (Announcements.Contains(type) || (settings.IncludeReplacements && Replacements.Contains(type)))
            {
                papers.TryAdd(entry.Paper.Id, entry.Paper);
            }
            else
            {
                skipped++;
            }
        }
        if (skipped > 0) logger.LogInformation("{Source}: skipped {Count} entries announced as replacements or of unknown type", Name, skipped);
        // The feed shows only the latest announcement; its date is remembered so operators can see how current it is.
        return new SourceFetch(papers.Values.ToList(), feed.Updated ?? request.Watermark);
    }
}
