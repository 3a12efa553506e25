namespace PaperMailer.Digest;

/// <param name="Date">Digest date for every subscriber; null means each subscriber's own local today. Never in the future.</param>
/// <param name="DueOnly">Only subscribers whose local delivery hour has passed (the scheduler); false sends to all not yet served today.</param>
/// <param name="DryRun">Decide and render, but record and send nothing.</param>
/// <param name="RetryNow">Retry deferred digests now instead of waiting for their backoff (an operator asked for this run).</param>
public sealed record DigestRunRequest(DateOnly? Date = null, bool DueOnly = true, bool DryRun = false, bool RetryNow = false);
