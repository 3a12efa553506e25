namespace PaperMailer.Storage;

/// <summary>
/// Each source's last collection attempt, last success and last error, kept for the operator status and /healthz.
/// A source's watermark (<see cref="ISourceWatermarks"/>) says how far it got; this says whether it is still working.
/// </summary>
public interface ISourceStatusLog
{
    Task RecordSuccessAsync(string source, DateTimeOffset at, int newPapers, int updatedPapers, CancellationToken cancellationToken = default);

    Task RecordFailureAsync(string source, DateTimeOffset at, string error, CancellationToken cancellationToken = default);

    /// <summary>Every source that was ever tried, by name.</summary>
    Task<IReadOnlyList<SourceStatus>> ListAsync(CancellationToken cancellationToken = default);
}

/// <param name="FirstAttemptAt">When the source was first tried: a source that never succeeded is judged from then.</param>
/// <param name="LastError">The last failure's reason, kept after later successes so the operator can still read it.</param>
/// <param name="ConsecutiveFailures">Failures since the last success (0 when the last attempt succeeded).</param>
/// <param name="LastNew">Papers new to the store at the last success.</param>
/// <param name="LastUpdated">Papers updated at the last success.</param>
public sealed record SourceStatus(string Source, DateTimeOffset FirstAttemptAt, DateTimeOffset LastAttemptAt, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError,
    int ConsecutiveFailures, int LastNew, int LastUpdated)
{
    public bool LastAttemptFailed => ConsecutiveFailures > 0;
}
