namespace PaperMailer.Cli.Ranking;

/// <summary>
/// Runs one piece of work per batch of lines on the thread pool, several batches at once, and hands the results back
/// in the file's order. Memory stays bounded by the batches in flight, whatever the file's length.
/// </summary>
internal static class OrderedBatchWork
{
    /// <summary>Batches worked on at once, ahead of the one being consumed: enough to keep every core busy.</summary>
    private static int BatchesInFlight => 2 * Environment.ProcessorCount;

    /// <summary>
    /// Calls <paramref name="work"/> for every batch (on the pool) and <paramref name="consume"/> for every result, in
    /// order; stops when <paramref name="consume"/> returns false, cancelling the batches behind it.
    /// </summary>
    public static async Task RunAsync<TBatch, T>(
        IAsyncEnumerable<TBatch> batches,
        Func<TBatch, CancellationToken, T> work,
        Func<T, CancellationToken, ValueTask<bool>> consume,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Queue<Task<T>>();
        try
        {
            await foreach (var batch in batches.WithCancellation(cancellationToken))
            {
                inFlight.Enqueue(Task.Run(() => work(batch, stop.Token), stop.Token));
                if (inFlight.Count < BatchesInFlight) continue;
                if (!await consume(await inFlight.Dequeue(), cancellationToken)) return;
            }
            while (inFlight.Count > 0)
            {
                if (!await consume(await inFlight.Dequeue(), cancellationToken)) return;
            }
        }
        finally
        {
            // After a stop (or a failure) the batches behind are not wanted: cancel them and let them end.
            await stop.CancelAsync();
            foreach (var task in inFlight)
            {
                try { await task; }
                catch (OperationCanceledException) { }
            }
        }
    }
}
