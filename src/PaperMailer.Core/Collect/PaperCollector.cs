using Microsoft.Extensions.Logging;
using PaperMailer.Collect.Sources;
using PaperMailer.Embed;
using PaperMailer.Storage;

namespace PaperMailer.Collect;

/// <summary>
/// Runs sources and stores what they return, then embeds the papers that have no vector yet (<see cref="StoredPaperVectors"/>),
/// before the collection is recorded as a success. A source that fails stores nothing and does not stop the others; the
/// model failing stores no vectors and fails nothing.
/// </summary>
/// <remarks>
/// Every attempt's outcome is recorded per source (<see cref="ISourceStatusLog"/>: last success, last error) for the
/// operator status and /healthz, and counted (<see cref="CollectMetrics"/>).
/// </remarks>
public sealed class PaperCollector(IPaperStore store, ISourceWatermarks watermarks, ISourceStatusLog status, CollectMetrics metrics, StoredPaperVectors vectors,
    TimeProvider clock, ILogger<PaperCollector> logger)
{
    public async Task<IReadOnlyList<CollectResult>> CollectAsync(IEnumerable<IPaperSource> sources, CancellationToken cancellationToken, DateOnly? since = null)
    {
        var results = new List<CollectResult>();
        foreach (var source in sources)
        {
            results.Add(await CollectOneAsync(source, cancellationToken, since));
        }
        return results;
    }

    public async Task<CollectResult> CollectOneAsync(IPaperSource source, CancellationToken cancellationToken, DateOnly? since = null)
    {
        try
        {
            // Fetch and parse everything before storing: a payload broken half-way must leave the store exactly as it was.
            SourceFetch fetch;
            if (source is IIncrementalPaperSource incremental)
            {
                var watermark = await watermarks.GetAsync(source.Name, cancellationToken);
                fetch = await incremental.FetchSinceAsync(new SourceRequest(watermark, since), cancellationToken);
            }
            else
            {
                fetch = new SourceFetch(await source.FetchAsync(cancellationToken), null);
            }
            var summary = await store.UpsertAsync(fetch.Papers.Select(PaperText.Clean).ToList(), clock.GetUtcNow(), cancellationToken);
            // Stored after the papers: a crash in between only means the next run reads the same span again.
            if (fetch.Watermark is { } position)
            {
                await watermarks.SetAsync(source.Name, position, clock.GetUtcNow(), cancellationToken);
            }
            // Before the success is recorded: what a success sets off (the home page's topic examples) finds the vectors.
            await vectors.EmbedMissingAsync(cancellationToken);
            logger.LogInformation("Collected from {Source}: {New} new, {Updated} updated, {Unchanged} unchanged", source.Name, summary.New, summary.Updated, summary.Unchanged);
            metrics.Collected(source.Name, summary.New, summary.Updated);
            await status.RecordSuccessAsync(source.Name, clock.GetUtcNow(), summary.New, summary.Updated, cancellationToken);
            return new CollectResult(source.Name, summary, null);
        }
        catch (Exception ex) when (ex is PaperFormatException or SourceUnavailableException or HttpRequestException or IOException or TimeoutException)
        {
            logger.LogError("Collecting from {Source} failed: {Reason}", source.Name, ex.Message);
            metrics.Failed(source.Name);
            await status.RecordFailureAsync(source.Name, clock.GetUtcNow(), ex.Message, CancellationToken.None);
            return new CollectResult(source.Name, new PaperUpsertSummary(0, 0, 0), ex.Message);
        }
    }
}

public sealed record CollectResult(string Source, PaperUpsertSummary Summary, string? Error)
{
    public bool Failed => Error is not null;
}
