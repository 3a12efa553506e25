using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Render;
using Spectre.Console;

namespace PaperMailer.Cli.Commands;

internal static class DigestCommand
{
    /// <summary>Runs with more digests than this print only their problems line by line (the ledger has the rest).</summary>
    private const int AllLinesUpTo = 100;

    public static Command Create(CliContext context)
    {
        var date = new Option<DateOnly?>("--date") { Description = "Digest date (yyyy-MM-dd) for every subscriber; never in the future. Default: each subscriber's local today." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be sent; record and send nothing." };
        var dueOnly = new Option<bool>("--due-only") { Description = "Only subscribers whose local delivery hour has passed, as the scheduler does." };
        var retryNow = new Option<bool>("--retry-now") { Description = "Retry deferred digests now instead of when their backoff ends." };
        var command = new Command("digest", "Send today's digest to every active subscriber who has not had it, and retry deferred ones that are due; running it again, or beside another run, sends nothing twice.")
        {
            date, dryRun, dueOnly, retryNow,
        };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var request = new DigestRunRequest(parse.GetValue(date), DueOnly: parse.GetValue(dueOnly), DryRun: parse.GetValue(dryRun), RetryNow: parse.GetValue(retryNow));
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (request.Date is { } day && day > Digest.Planning.DigestPlanner.LatestDate(now))
            {
                context.Error.WriteLine(DigestRun.FutureDateMessage(day, now));
                return ExitCodes.Usage;
            }
            // SIGTERM or Ctrl+C: no new sends start; those under way finish and are recorded before the program ends.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            return await RunAndReportAsync(context, services.GetRequiredService<DigestRun>(), request, stop.Token);

            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        }));
        return command;
    }

    public static async Task<int> RunAndReportAsync(CliContext context, DigestRun run, DigestRunRequest request, CancellationToken ct)
    {
        DigestRunReport report;
        var progress = new DigestRunProgress();
        try
        {
            report = OnTerminal(context)
                ? await WithProgressBarAsync(run.RunAsync(request, progress, ct), progress)
                : await run.RunAsync(request, progress, ct);
        }
        catch (TemplateException ex)
        {
            context.Error.WriteLine($"No digest was sent: {ex.Message}");
            return ExitCodes.Failure;
        }
        var lines = report.Lines;
        var shown = report.Total <= AllLinesUpTo ? lines : lines.Where(l => l.Status is DeliveryStatus.Deferred or DeliveryStatus.Failed).Take(AllLinesUpTo).ToList();
        foreach (var line in shown)
        {
            var what = line.Status switch
            {
                DeliveryStatus.NothingToSend => "nothing to send",
                _ => $"{line.Status.ToString().ToLowerInvariant()}, {line.PaperCount} papers",
            };
            context.Out.WriteLine($"{line.DigestDate:yyyy-MM-dd} {line.Email}: {what}{(line.Retry ? " (retry)" : "")}{(line.Reply is null ? "" : $" — {line.Reply}")}");
        }
        if (report.Total > shown.Count) context.Out.WriteLine($"({report.Total - shown.Count} more digests: papermailer deliveries list)");
        foreach (var left in report.LeftToOthers.Take(AllLinesUpTo)) context.Out.WriteLine($"left to another run: {left}");
        context.Out.WriteLine($"Digest run: {report.Summary(request.DryRun)}.");
        if (report.Stopped) context.Out.WriteLine("Stopped by a signal: attempts under way were finished and recorded; the rest is left for the next run.");
        return report.HasProblems || report.Stopped ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static bool OnTerminal(CliContext context) =>
        ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>A live progress bar while the run works: digests done of all there are to look at, and what became of them.</summary>
    private static async Task<DigestRunReport> WithProgressBarAsync(Task<DigestRunReport> running, DigestRunProgress progress)
    {
        await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async bar =>
            {
                var task = bar.AddTask("digests");
                while (!running.IsCompleted)
                {
                    task.MaxValue = Math.Max(1, progress.Total);
                    task.Value = Math.Min(progress.Done, task.MaxValue);
                    task.Description = $"{progress.Sent:N0} sent, {progress.Deferred:N0} deferred, {progress.Failed:N0} failed, {progress.AttemptsPerSecond:N0}/s";
                    await Task.WhenAny(running, Task.Delay(250));
                }
                task.Value = task.MaxValue;
            });
        return await running;
    }
}
