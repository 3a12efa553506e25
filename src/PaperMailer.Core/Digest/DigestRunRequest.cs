using PaperMailer.Digest.Planning;

namespace PaperMailer.Digest;

/// <param name="Date">Digest date for every subscriber; null means each subscriber's own local today. Never in the future.</param>
/// <param name="DueOnly">Only subscribers whose local delivery hour has passed (the scheduler); false sends to all not yet served today.</param>
/// <param name="DryRun">Decide and render, but record and send nothing.</param>
/// <param name="RetryNow">Retry deferred digests now instead of waiting for their backoff (an operator asked for this run).</param>
/// <param name="Shard">
/// Only the subscribers of this shard, and the run's rate limits divided by the shard count (a cluster's nodes run the
/// shards of one run in parallel); null: everyone, at the full rates.
/// </param>
public sealed record DigestRunRequest(DateOnly? Date = null, bool DueOnly = true, bool DryRun = false, bool RetryNow = false, DigestShard? Shard = null)
{
    /// <summary>The share of the configured rate limits this run may use.</summary>
    public int RateShares => Shard?.Count ?? 1;
}
