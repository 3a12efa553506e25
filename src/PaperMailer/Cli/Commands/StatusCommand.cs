using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Status;
using PaperMailer.Storage;

namespace PaperMailer.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var command = new Command("status",
            "The operator status: Healthy or Degraded (as /healthz says it, with the reasons), the latest digest runs, each source's last success " +
            "and last error, failures per recipient domain and the suppressed addresses. Exit code 1 when Degraded.") { json };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var status = await services.GetRequiredService<OperatorStatusReader>().ReadAsync(ct);
            if (parse.GetValue(json)) context.Out.WriteLine(CliJson.Serialize(status));
            else Write(context.Out, status);
            return status.Degraded ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(TextWriter output, OperatorStatus status)
    {
        output.WriteLine(status.Degraded ? "Degraded" : "Healthy");
        foreach (var problem in status.Problems) output.WriteLine($"  - {problem}");

        output.WriteLine();
        output.WriteLine($"Latest digest runs ({status.Runs.Count}, newest first; times UTC):");
        if (status.Runs.Count == 0) output.WriteLine("  none yet");
        foreach (var run in status.Runs)
            output.WriteLine($"  {run.FinishedAt:yyyy-MM-dd HH:mm:ss}  {Duration(run)}  {RunCounts(run)}");

        output.WriteLine();
        output.WriteLine("Sources:");
        foreach (var source in status.Sources)
            output.WriteLine($"  {source.Source,-11} {SourceLine(source)}");

        output.WriteLine();
        output.WriteLine($"Failed and deferred digests per recipient domain since {status.FailuresSince:yyyy-MM-dd}:");
        if (status.Domains.Count == 0) output.WriteLine("  none");
        foreach (var domain in status.Domains)
            output.WriteLine($"  {domain.Domain,-30} failed={domain.Failed} (address refused: {domain.RecipientRefused}) deferred={domain.Deferred}");

        output.WriteLine();
        output.WriteLine($"Suppressed addresses ({status.Suppressed.Count}):");
        foreach (var address in status.Suppressed)
            output.WriteLine($"  {address.Email}  since {address.Since:yyyy-MM-dd HH:mm}");

        var bounces = status.Bounces;
        output.WriteLine();
        output.WriteLine($"Bounce mailbox reports since {bounces.Since:yyyy-MM-dd}: hard={bounces.Hard} soft={bounces.Soft} complaints={bounces.Complaints} about-no-digest-of-ours={bounces.Unmatched}");
        foreach (var soft in bounces.MostSoftBounced)
            output.WriteLine($"  {soft.Email}  {soft.Count} soft bounce{(soft.Count == 1 ? "" : "s")}");
    }

    /// <summary>"due=12 sent=10 deferred=1 failed=1 nothing-to-send=0", and what was left to others or given back.</summary>
    public static string RunCounts(DigestRunSummary run) =>
        $"due={run.Due} sent={run.Sent} deferred={run.Deferred} failed={run.Failed} nothing-to-send={run.NothingToSend}" +
        (run.Cancelled > 0 ? $" cancelled={run.Cancelled}" : "") +
        (run.LeftToOthers > 0 ? $" left-to-other-runs={run.LeftToOthers}" : "") +
        (run.Released > 0 ? $" given-back={run.Released}" : "") +
        (run.Stopped ? " (stopped early)" : "");

    private static string Duration(DigestRunSummary run) =>
        string.Create(CultureInfo.InvariantCulture, $"{(run.FinishedAt - run.StartedAt).TotalSeconds,7:0.0} s");

    private static string SourceLine(SourceHealth source)
    {
        if (!source.Enabled) return "disabled";
        var parts = new List<string>();
        if (source.Status is not { } s) parts.Add("not run yet");
        else
        {
            parts.Add(s.LastSuccessAt is { } ok ? $"last success {ok:yyyy-MM-dd HH:mm} ({s.LastNew} new, {s.LastUpdated} updated)" : "never succeeded");
            if (s.LastError is { } error) parts.Add($"last error {s.LastErrorAt:yyyy-MM-dd HH:mm}: {error}");
            if (s.LastAttemptFailed) parts.Add($"{s.ConsecutiveFailures} failure{(s.ConsecutiveFailures == 1 ? "" : "s")} in a row");
        }
        if (source.Overdue) parts.Add($"OVERDUE: {source.MissedRuns} scheduled runs missed");
        if (source.NextRun is { } next) parts.Add($"next run {next.UtcDateTime:yyyy-MM-dd HH:mm}");
        return string.Join("; ", parts);
    }
}
