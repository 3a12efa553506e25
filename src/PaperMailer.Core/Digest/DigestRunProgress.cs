using System.Diagnostics;

namespace PaperMailer.Digest;

/// <summary>
/// Live counters of a digest run, safe to read from another thread while it runs (the progress log, the terminal's
/// progress bar). <see cref="Total"/> is known at the start: the active subscribers plus the retries claimed.
/// </summary>
public sealed class DigestRunProgress
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _total, _examined, _sent, _deferred, _failed, _nothing, _cancelled, _others;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Subscribers and retries dealt with: decided, sent, skipped or left to another run.</summary>
    public long Done => Interlocked.Read(ref _examined);

    public long Sent => Interlocked.Read(ref _sent);
    public long Deferred => Interlocked.Read(ref _deferred);
    public long Failed => Interlocked.Read(ref _failed);
    public long NothingToSend => Interlocked.Read(ref _nothing);
    public long Cancelled => Interlocked.Read(ref _cancelled);
    public long LeftToOthers => Interlocked.Read(ref _others);
    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>Where the run's time went, stage by stage.</summary>
    public DigestRunStages Stages { get; } = new();

    /// <summary>Digests sent, deferred or failed per second so far.</summary>
    public double AttemptsPerSecond => (Sent + Deferred + Failed) / Math.Max(Elapsed.TotalSeconds, 0.001);

    public void AddToTotal(long count) => Interlocked.Add(ref _total, count);
    public void Examined() => Interlocked.Increment(ref _examined);

    internal void Count(Domain.DeliveryStatus status)
    {
        switch (status)
        {
            case Domain.DeliveryStatus.Sent: Interlocked.Increment(ref _sent); break;
            case Domain.DeliveryStatus.Deferred: Interlocked.Increment(ref _deferred); break;
            case Domain.DeliveryStatus.Failed: Interlocked.Increment(ref _failed); break;
            case Domain.DeliveryStatus.NothingToSend: Interlocked.Increment(ref _nothing); break;
            case Domain.DeliveryStatus.Cancelled: Interlocked.Increment(ref _cancelled); break;
        }
        Examined();
    }

    internal void LeftToAnother()
    {
        Interlocked.Increment(ref _others);
        Examined();
    }

    public override string ToString() =>
        $"{Done:N0} of {Total:N0} done: {Sent:N0} sent, {Deferred:N0} deferred, {Failed:N0} failed, {NothingToSend:N0} with nothing to send, " +
        $"{LeftToOthers:N0} left to other runs; {AttemptsPerSecond:N0} digests/s";
}
