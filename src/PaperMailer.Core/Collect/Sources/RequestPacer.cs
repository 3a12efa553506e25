using Microsoft.Extensions.Options;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// One request at a time, at least an interval apart (measured from the end of the previous one), as arXiv asks of
/// API clients. Waits go through the injected clock, so tests observe them without sleeping.
/// </summary>
public sealed class RequestPacer(TimeProvider clock, TimeSpan interval)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _lastFinished;

    public async Task<T> RunAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastFinished is { } last && last + interval - clock.GetUtcNow() is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }
            try
            {
                return await request();
            }
            finally
            {
                _lastFinished = clock.GetUtcNow();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>The pacer shared by both arXiv sources: the rule is per client, not per endpoint.</summary>
public sealed class ArxivRequestPacer(TimeProvider clock, IOptions<ArxivSourceOptions> options)
{
    public RequestPacer Pacer { get; } = new(clock, options.Value.RequestInterval);
}
