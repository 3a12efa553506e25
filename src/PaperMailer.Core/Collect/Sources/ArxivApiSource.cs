using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// The arXiv API for the configured categories, most recently updated first, paged back until it reaches the
/// watermark (the newest update time the last run stored), the horizon or MaxResults. New versions of known papers
/// show up here too, since a new version updates the entry's time.
/// </summary>
public sealed class ArxivApiSource(SourceHttpClient http, ArxivRequestPacer pacer, IOptions<ArxivSourceOptions> options, TimeProvider clock, ILogger<ArxivApiSource> logger)
    : IIncrementalPaperSource
{
    public const string SourceName = "arxiv";

    public string Name => SourceName;

    public async Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) =>
        (await FetchSinceAsync(new SourceRequest(null, null), cancellationToken)).Papers;

    public async Task<SourceFetch> FetchSinceAsync(SourceRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var horizon = clock.GetUtcNow() - settings.Horizon;
        var watermark = ParseTime(request.Watermark);
        var stopAt = request.Since is { } since
            ? new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : watermark ?? horizon;
        if (stopAt < horizon) stopAt = horizon;

        var query = Uri.EscapeDataString(string.Join(" OR ", settings.EffectiveCategories.Select(c => "cat:" + c)));
        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        DateTimeOffset? newest = null;
        var start = 0;
        while (start < settings.MaxResults)
        {
            var size = Math.Min(settings.PageSize, settings.MaxResults - start);
            var url = settings.Url(FormattableString.Invariant($"/api/query?search_query={query}&sortBy=lastUpdatedDate&sortOrder=descending&start={start}&max_results={size}"));
            var body = await http.GetAsync(Name, url, settings, pacer.Pacer, cancellationToken);
            var page = ArxivAtomReader.Read(body, $"{Name}: {url}");
            var reachedStop = false;
            foreach (var entry in page.Entries)
            {
                var updated = entry.Paper.RevisedAt ?? entry.Paper.PublishedAt;
                if (updated is { } time && time <= stopAt)
                {
                    reachedStop = true;
                    continue;
                }
                if (updated > newest || newest is null) newest = updated;
                papers.TryAdd(entry.Paper.Id, entry.Paper);
            }
            start += page.Entries.Count;
            if (reachedStop || page.Entries.Count == 0 || (page.TotalResults is { } total && start >= total)) break;
        }
        if (start >= settings.MaxResults)
        {
            logger.LogWarning("{Source}: stopped after {Max} results (Sources:Arxiv:MaxResults) before reaching {StopAt}", Name, settings.MaxResults, stopAt);
        }
        // The watermark only moves forward: a run asked to start earlier (--since) must not make the next one repeat.
        var mark = Max(newest, watermark);
        return new SourceFetch(papers.Values.ToList(), mark?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime() : null;
}
