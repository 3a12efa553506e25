using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Jobs;
using PaperMailer.Status;
using PaperMailer.Storage;
using Quartz;

namespace PaperMailer.Web;

/// <summary>
/// The operator's status page (/admin/status: runs, sources, failures per domain, suppressed addresses, the /healthz
/// verdict) and "retry failed only" for a date. Both sit behind the operator filter of <see cref="AdminEndpoints"/>.
/// </summary>
internal static class AdminStatusEndpoints
{
    public static void MapAdminStatus(this RouteGroupBuilder guarded)
    {
        guarded.MapGet("/status", async (HttpContext http, OperatorStatusReader reader, SitePages pages, TimeProvider clock, CancellationToken ct) =>
        {
            var status = await reader.ReadAsync(ct);
            return pages.Page(http, "admin-status", "Service status", Model(status, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
        });

        guarded.MapPost("/status/retry-failed", async Task<ContentHttpResult> (HttpContext http, IAntiforgery antiforgery, IDeliveryLedger ledger, ISchedulerFactory schedulers,
            SitePages pages, TimeProvider clock, CancellationToken ct) =>
        {
            // A browser's form carries the page's antiforgery field; a script signing in with "Authorization: Bearer"
            // (a header no other site can make a browser send) needs none.
            var form = http.Request.Headers.Authorization.Count > 0 ? await SiteForms.ReadAsync(http, ct) : await SiteForms.ReadGenuineAsync(http, antiforgery, ct);
            var back = ("/admin/status", "Back to the status page");
            if (form is null)
                return pages.Message(http, "This form has expired", StatusCodes.Status400BadRequest, back, "Open the status page again and use its form.");
            var text = form["date"].ToString().Trim();
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return pages.Message(http, "Not a date", StatusCodes.Status400BadRequest, back, $"date: \"{text}\" is not a date; give it as yyyy-MM-dd.");
            var result = await ledger.RetryFailedAsync(date, clock.GetUtcNow(), ct);
            if (result.MadeDue > 0)
            {
                // The digest check sends them now rather than at its next interval; it claims them like any retry.
                var scheduler = await schedulers.GetScheduler(ct);
                await scheduler.TriggerJob(DigestCheckJob.Key, ct);
            }
            return pages.Message(http, $"{result.MadeDue} failed digest{(result.MadeDue == 1 ? "" : "s")} of {date:yyyy-MM-dd} due again", StatusCodes.Status200OK, back,
                [RetryFailedReport.Summary(date, result), .. result.Skipped.Take(RetryFailedReport.SkippedShown)]);
        });
    }

    /// <summary>The page's model, snake_case as templates/README.md lists it; times UTC.</summary>
    private static Dictionary<string, object?> Model(OperatorStatus status, DateOnly today) => new()
    {
        ["at"] = Time(status.At),
        ["degraded"] = status.Degraded,
        ["problems"] = status.Problems,
        ["runs"] = status.Runs.Select(r => new Dictionary<string, object?>
        {
            ["finished_at"] = r.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["seconds"] = (r.FinishedAt - r.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            ["due"] = r.Due, ["sent"] = r.Sent, ["deferred"] = r.Deferred, ["failed"] = r.Failed, ["nothing_to_send"] = r.NothingToSend,
            ["notes"] = string.Join(", ", new[]
            {
                r.Cancelled > 0 ? $"{r.Cancelled} cancelled" : null,
                r.LeftToOthers > 0 ? $"{r.LeftToOthers} left to other runs" : null,
                r.Released > 0 ? $"{r.Released} given back" : null,
                r.Stopped ? "stopped early" : null,
            }.OfType<string>()),
        }).ToList(),
        ["sources"] = status.Sources.Select(s => new Dictionary<string, object?>
        {
            ["name"] = s.Source,
            ["state"] = !s.Enabled ? "disabled"
                : s.Overdue ? $"overdue: {s.MissedRuns} scheduled runs missed"
                : s.Status is null ? "not run yet"
                : s.Status.LastAttemptFailed ? $"failing ({s.Status.ConsecutiveFailures} in a row)"
                : "working",
            ["overdue"] = s.Overdue,
            ["last_success"] = s.Status?.LastSuccessAt is { } ok ? $"{Time(ok)} ({s.Status.LastNew} new, {s.Status.LastUpdated} updated)" : "never",
            ["last_error"] = s.Status?.LastError,
            ["last_error_at"] = s.Status?.LastErrorAt is { } at ? Time(at) : null,
            ["next_run"] = s.NextRun is { } next ? Time(next) : "",
        }).ToList(),
        ["failures_since"] = status.FailuresSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["domains"] = status.Domains.Select(d => new Dictionary<string, object?>
        {
            ["domain"] = d.Domain, ["failed"] = d.Failed, ["recipient_refused"] = d.RecipientRefused, ["deferred"] = d.Deferred,
        }).ToList(),
        ["suppressed"] = status.Suppressed.Select(a => new Dictionary<string, object?>
        {
            ["email"] = a.Email, ["since"] = a.Since is { } since ? Time(since) : "",
        }).ToList(),
        ["bounces"] = new Dictionary<string, object?>
        {
            ["since"] = status.Bounces.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["hard"] = status.Bounces.Hard, ["soft"] = status.Bounces.Soft, ["complaints"] = status.Bounces.Complaints, ["unmatched"] = status.Bounces.Unmatched,
            ["most_soft"] = status.Bounces.MostSoftBounced.Select(s => new Dictionary<string, object?> { ["email"] = s.Email, ["count"] = s.Count }).ToList(),
        },
        ["retry_date"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
