using System.Diagnostics;

namespace PaperMailer.Digest;

/// <summary>The parts of a digest run whose time <see cref="DigestRunStages"/> adds up.</summary>
public enum DigestRunStage
{
    /// <summary>Reading subscribers with their ledger history and deciding who gets a digest.</summary>
    Plan,
    /// <summary>Loading the run's papers and reading what each subscriber was already given.</summary>
    Candidates,
    /// <summary>Ranking each subscriber's window of papers (and explaining a retry's papers again).</summary>
    Rank,
    /// <summary>Rendering the templates and building the MIME message.</summary>
    Render,
    /// <summary>Ledger writes: recording and claiming digests, renewing claims, recording outcomes.</summary>
    Ledger,
    /// <summary>The transport: handing messages to the server or the outbox, and the outbox's flushes.</summary>
    Send,
}

/// <summary>
/// Where a digest run's time goes: the time spent in each stage, summed over every thread that did it (stages overlap
/// in the pipeline, so the sums can exceed the run's elapsed time). Cheap enough to be always on: two timestamps per
/// measured step. Read by the run benchmark and logged at Debug at the end of a run.
/// </summary>
public sealed class DigestRunStages
{
    private readonly long[] _ticks = new long[Enum.GetValues<DigestRunStage>().Length];

    /// <summary>Starts timing <paramref name="stage"/>; dispose the result when the step is done.</summary>
    public Measurement Measure(DigestRunStage stage) => new(this, stage, Stopwatch.GetTimestamp());

    public TimeSpan this[DigestRunStage stage] => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)stage]));

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<DigestRunStage>().Select(s => $"{s.ToString().ToLowerInvariant()} {this[s].TotalSeconds:0.00} s"));

    private void Add(DigestRunStage stage, long ticks) => Interlocked.Add(ref _ticks[(int)stage], ticks);

    public readonly struct Measurement(DigestRunStages stages, DigestRunStage stage, long started) : IDisposable
    {
        public void Dispose() => stages.Add(stage, Stopwatch.GetTimestamp() - started);
    }
}
