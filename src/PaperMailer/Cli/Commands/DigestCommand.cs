using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Render;

namespace PaperMailer.Cli.Commands;

internal static class DigestCommand
{
    public static Command Create(CliContext context)
    {
        var date = new Option<DateOnly?>("--date") { Description = "Digest date (yyyy-MM-dd) for every subscriber. Default: each subscriber's local today." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be sent; record and send nothing." };
        var dueOnly = new Option<bool>("--due-only") { Description = "Only subscribers whose local delivery hour has passed, as the scheduler does." };
        var command = new Command("digest", "Send today's digest to every active subscriber who has not had it; running it again sends nothing new.") { date, dryRun, dueOnly };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var request = new DigestRunRequest(parse.GetValue(date), DueOnly: parse.GetValue(dueOnly), DryRun: parse.GetValue(dryRun), RetryNow: true);
            return await RunAndReportAsync(context, services.GetRequiredService<DigestRun>(), request, ct);
        }));
        return command;
    }

    public static async Task<int> RunAndReportAsync(CliContext context, DigestRun run, DigestRunRequest request, CancellationToken ct)
    {
        DigestRunReport report;
        try
        {
            report = await run.RunAsync(request, ct);
        }
        catch (TemplateException ex)
        {
            context.Error.WriteLine($"No digest was sent: {ex.Message}");
            return ExitCodes.Failure;
        }
        foreach (var line in report.Lines)
        {
            var what = line.Status switch
            {
                DeliveryStatus.NothingToSend => "nothing to send",
                _ => $"{line.Status.ToString().ToLowerInvariant()}, {line.PaperCount} papers",
            };
            context.Out.WriteLine($"{line.DigestDate:yyyy-MM-dd} {line.Email}: {what}{(line.Retry ? " (retry)" : "")}{(line.Reply is null ? "" : $" — {line.Reply}")}");
        }
        context.Out.WriteLine(
            $"Digest run: {report.Count(DeliveryStatus.Sent)} sent, {report.Count(DeliveryStatus.Deferred)} deferred, {report.Count(DeliveryStatus.Failed)} failed, " +
            $"{report.Count(DeliveryStatus.NothingToSend)} with nothing to send{(request.DryRun ? $", {report.Count(DeliveryStatus.Queued)} would be sent (dry run)" : "")}.");
        return report.HasProblems ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
