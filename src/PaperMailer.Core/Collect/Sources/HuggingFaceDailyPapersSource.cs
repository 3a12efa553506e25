using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// Hugging Face Daily Papers, one listing per day (UTC). Each run reads every day from its watermark (the last day it
/// read, read again because that day's listing keeps growing) to today, no further back than the horizon.
/// </summary>
public sealed class HuggingFaceDailyPapersSource(SourceHttpClient http, IOptions<HuggingFaceSourceOptions> options, TimeProvider clock, ILogger<HuggingFaceDailyPapersSource> logger)
    : IIncrementalPaperSource
{
    public const string SourceName = "hf";

    public string Name => SourceName;

    public async Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) =>
        (await FetchSinceAsync(new SourceRequest(null, null), cancellationToken)).Papers;

    public async Task<SourceFetch> FetchSinceAsync(SourceRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var oldest = today.AddDays(-(int)Math.Ceiling(settings.Horizon.TotalDays));
        var start = request.Since ?? ParseDate(request.Watermark) ?? today.AddDays(-1);
        if (start < oldest)
        {
            logger.LogWarning("{Source}: days before {Oldest} are beyond the horizon ({Horizon}) and are not collected", Name, oldest, settings.Horizon);
            start = oldest;
        }
        if (start > today) start = today;

        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        for (var day = start; day <= today; day = day.AddDays(1))
        {
            await FetchDayAsync(day, settings, papers, cancellationToken);
        }
        return new SourceFetch(papers.Values.ToList(), today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private async Task FetchDayAsync(DateOnly day, HuggingFaceSourceOptions settings, Dictionary<string, Paper> papers, CancellationToken cancellationToken)
    {
        var seenToday = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < settings.MaxPagesPerDay; page++)
        {
            var url = settings.Url(FormattableString.Invariant($"/api/daily_papers?date={day:yyyy-MM-dd}&limit={settings.PageSize}&p={page}"));
            var body = await http.GetAsync(Name, url, settings, pacer: null, cancellationToken);
            var listed = PaperFileReader.Read(body, $"{Name}: {url}");
            var fresh = 0;
            foreach (var paper in listed)
            {
                if (seenToday.Add(paper.Id)) fresh++;
                // A later day's listing carries the newer upvote counts.
                papers[paper.Id] = paper;
            }
            // A short page is the last one; a page of nothing new means the server ignores paging.
            if (listed.Count < settings.PageSize || fresh == 0) return;
        }
        logger.LogWarning("{Source}: {Day} has more than {Pages} pages; the rest is left for the next run", Name, day, settings.MaxPagesPerDay);
    }

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
