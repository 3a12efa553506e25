using PaperMailer.Storage;

namespace PaperMailer.Status;

/// <summary>
/// What an operator looks at: the latest digest runs, each enabled source's last success and last error, failures
/// per recipient domain, the suppressed addresses, and the verdict /healthz gives with its reasons.
/// </summary>
public sealed record OperatorStatus(
    DateTimeOffset At,
    bool Degraded,
    IReadOnlyList<string> Problems,
    IReadOnlyList<DigestRunSummary> Runs,
    IReadOnlyList<SourceHealth> Sources,
    DateOnly FailuresSince,
    IReadOnlyList<DomainFailures> Domains,
    IReadOnlyList<SuppressedAddress> Suppressed,
    BounceSummary Bounces);

/// <param name="Status">What the store recorded; null when the source was never tried.</param>
/// <param name="MissedRuns">Scheduled runs since its last success (since its first attempt when it never succeeded), counted up to 1,000.</param>
/// <param name="Overdue">It missed at least Health:SourceMissedRuns scheduled runs without a success.</param>
public sealed record SourceHealth(string Source, bool Enabled, string Cron, string CronTimeZone, SourceStatus? Status, int MissedRuns, bool Overdue,
    DateTimeOffset? NextRun);

/// <summary>Bounce and complaint reports read from the bounce mailbox since <paramref name="Since"/>.</summary>
/// <param name="MostSoftBounced">The subscribers with the most soft bounces in that time.</param>
public sealed record BounceSummary(DateOnly Since, int Hard, int Soft, int Complaints, int Unmatched, IReadOnlyList<SoftBounces> MostSoftBounced);

public sealed record SoftBounces(string Email, int Count);

/// <param name="Since">When the address was suppressed (its status last changed).</param>
public sealed record SuppressedAddress(string Email, DateTimeOffset? Since);
