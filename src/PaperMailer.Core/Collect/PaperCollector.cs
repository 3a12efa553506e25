using Microsoft.Extensions.Logging;
using PaperMailer.Storage;

namespace PaperMailer.Collect;

/// <summary>Runs sources and stores what they return. A source that fails stores nothing and does not stop the others.</summary>
public sealed class PaperCollector(IPaperStore store, TimeProvider clock, ILogger<PaperCollector> logger)
{
    public async Task<IReadOnlyList<CollectResult>> CollectAsync(IEnumerable<IPaperSource> sources, CancellationToken cancellationToken)
    {
        var results = new List<CollectResult>();
        foreach (var source in sources)
        {
            results.Add(await CollectOneAsync(source, cancellationToken));
        }
        return results;
    }

    public async Task<CollectResult> CollectOneAsync(IPaperSource source, CancellationToken cancellationToken)
    {
        try
        {
            // Parse fully before storing: a payload broken half-way must leave the store exactly as it was.
            var papers = await source.FetchAsync(cancellationToken);
            var summary = await store.UpsertAsync(papers, clock.GetUtcNow(), cancellationToken);
            logger.LogInformation("Collected from {Source}: {New} new, {Updated} updated, {Unchanged} unchanged", source.Name, summary.New, summary.Updated, summary.Unchanged);
            return new CollectResult(source.Name, summary, null);
        }
        catch (Exception ex) when (ex is PaperFormatException or HttpRequestException or IOException or TimeoutException)
        {
            logger.LogError("Collecting from {Source} failed: {Reason}", source.Name, ex.Message);
            return new CollectResult(source.Name, new PaperUpsertSummary(0, 0, 0), ex.Message);
        }
    }
}

public sealed record CollectResult(string Source, PaperUpsertSummary Summary, string? Error)
{
    public bool Failed => Error is not null;
}
