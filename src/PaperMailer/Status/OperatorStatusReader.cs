using System.Globalization;
using Microsoft.Extensions.Options;
using PaperMailer.Bounces;
using PaperMailer.Collect.Sources;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Status;

/// <summary>
/// Reads the operator status from the store and judges it: the one place that decides "Degraded", for /healthz,
/// `papermailer status` and the status page alike.
/// </summary>
public sealed class OperatorStatusReader(IDigestRunLog runs, ISourceStatusLog sources, IDeliveryLedger ledger, ISubscriberStore subscribers,
    IBounceLog bounces, PaperSourceSet sourceSet, TimeProvider clock, IOptions<HealthOptions> options)
{
    /// <summary>Days of bounce reports counted.</summary>
    public const int BounceDays = 30;

    /// <summary>Subscribers listed with their soft bounces.</summary>
    public const int SoftBouncedShown = 10;

    /// <summary>Digest runs listed.</summary>
    public const int RunsShown = 10;

    /// <summary>Days of failures counted per domain.</summary>
    public const int FailureDays = 7;

    /// <summary>Domains listed.</summary>
    public const int DomainsShown = 20;

    /// <summary>Missed runs counted at most; a source dead for longer is said to have missed "at least" this many.</summary>
    public const int MissedRunsCounted = 1000;

    private readonly HealthOptions _options = options.Value;

    public async Task<OperatorStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var latestRuns = await runs.LatestAsync(RunsShown, cancellationToken);
        var sourceHealth = await SourcesAsync(now, cancellationToken);
        var since = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-FailureDays);
        var domains = await ledger.FailuresByDomainAsync(since, DomainsShown, cancellationToken);
        var suppressed = (await subscribers.ListAsync(SubscriberStatus.Bounced, cancellationToken))
            .OrderByDescending(s => s.StatusChangedAt).Select(s => new SuppressedAddress(s.Email, s.StatusChangedAt)).ToList();
        var problems = Problems(latestRuns, sourceHealth);
        return new OperatorStatus(now, problems.Count > 0, problems, latestRuns, sourceHealth, since, domains, suppressed, await BouncesAsync(now, cancellationToken));
    }

    private async Task<BounceSummary> BouncesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-BounceDays);
        var from = new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var counts = await bounces.CountByKindSinceAsync(from, cancellationToken);
        var most = await bounces.MostReportedAsync(BounceRecordKinds.Soft, from, SoftBouncedShown, cancellationToken);
        return new BounceSummary(since, counts.GetValueOrDefault(BounceRecordKinds.Hard), counts.GetValueOrDefault(BounceRecordKinds.Soft),
            counts.GetValueOrDefault(BounceRecordKinds.Complaint), counts.GetValueOrDefault(BounceRecordKinds.Unmatched),
            most.Select(m => new SoftBounces(m.Email, m.Count)).ToList());
    }

    /// <summary>Every enabled network source, and any other source that was ever tried (the Collect:Files collection).</summary>
    private async Task<IReadOnlyList<SourceHealth>> SourcesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recorded = (await sources.ListAsync(cancellationToken)).ToDictionary(s => s.Source, StringComparer.Ordinal);
        var result = new List<SourceHealth>();
        foreach (var name in PaperSourceSet.Names)
        {
            var settings = sourceSet.OptionsOf(name);
            var status = recorded.GetValueOrDefault(name);
            recorded.Remove(name);
            var schedule = new SourceSchedule(settings);
            // Never succeeded: counted from its first attempt, so a fresh install is not overdue before it has tried.
            var missed = (status?.LastSuccessAt ?? status?.FirstAttemptAt) is { } from ? schedule.RunsBetween(from, now, MissedRunsCounted) : 0;
            result.Add(new SourceHealth(name, settings.Enabled, settings.Cron, settings.CronTimeZone, status, missed,
                settings.Enabled && missed >= _options.SourceMissedRuns, settings.Enabled ? schedule.NextAfter(now) : null));
        }
        result.AddRange(recorded.Values.Select(s => new SourceHealth(s.Source, true, "", "", s, 0, false, null)));
        return result;
    }

    private List<string> Problems(IReadOnlyList<DigestRunSummary> latestRuns, IReadOnlyList<SourceHealth> sourceHealth)
    {
        var problems = new List<string>();
        foreach (var source in sourceHealth.Where(s => s.Overdue))
        {
            var last = source.Status?.LastSuccessAt is { } success ? $"last success {success:yyyy-MM-dd HH:mm} UTC" : "never succeeded";
            var error = source.Status?.LastError is { } e && source.Status.LastAttemptFailed ? $"; last error: {e}" : "";
            var count = source.MissedRuns >= MissedRunsCounted ? $"at least {source.MissedRuns}" : source.MissedRuns.ToString(CultureInfo.InvariantCulture);
            problems.Add($"source {source.Source} has missed {count} scheduled runs ({last}){error}");
        }
        // The latest run that attempted anything: runs that found nobody due say nothing about delivery.
        if (latestRuns.FirstOrDefault(r => r.Attempted > 0) is { } run)
        {
            var share = (double)run.Failed / run.Attempted;
            if (share > _options.MaxFailedShare)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the latest digest run ({run.FinishedAt:yyyy-MM-dd HH:mm} UTC) failed {run.Failed} of {run.Attempted} digests ({share * 100:0.#}%), more than Health:MaxFailedShare ({_options.MaxFailedShare * 100:0.#}%)"));
            }
        }
        return problems;
    }
}
