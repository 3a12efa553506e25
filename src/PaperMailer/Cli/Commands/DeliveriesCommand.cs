using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Domain;
using PaperMailer.Status;
using PaperMailer.Storage;

namespace PaperMailer.Cli.Commands;

internal static class DeliveriesCommand
{
    public static Command Create(CliContext context)
    {
        var date = new Option<DateOnly?>("--date") { Description = "Only digests for this date (yyyy-MM-dd)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array." };
        var list = new Command("list", "The delivery ledger: every digest, its status, attempts and the server's last reply with its SMTP codes.") { date, json };
        list.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var rows = await services.GetRequiredService<IDeliveryLedger>().ListAsync(parse.GetValue(date), ct);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(rows));
                return ExitCodes.Ok;
            }
            foreach (var d in rows)
                context.Out.WriteLine($"{d.DigestDate:yyyy-MM-dd} {d.Email,-32} {d.Status,-13} papers={d.PaperIds.Count} attempts={d.Attempts} {Claim(d)}{SmtpCodes(d)}{d.LastReply}");
            context.Out.WriteLine($"{rows.Count} digests.");
            return ExitCodes.Ok;
        }));
        var retryDate = new Option<DateOnly>("--date") { Description = "The digest date (yyyy-MM-dd) whose failed digests to retry.", Required = true };
        var retryFailed = new Command("retry-failed",
            "Retry failed only: make the Failed digests of one date due again, each sent once more as the same message by the next digest run " +
            "(the service's next check, or `papermailer digest`). Digests whose subscriber left, or whose papers a later digest took, stay failed.") { retryDate };
        retryFailed.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var date = parse.GetValue(retryDate);
            var result = await services.GetRequiredService<IDeliveryLedger>().RetryFailedAsync(date, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            context.Out.WriteLine(RetryFailedReport.Summary(date, result));
            foreach (var line in result.Skipped) context.Out.WriteLine($"  {line}");
            return ExitCodes.Ok;
        }));
        return new Command("deliveries", "What was sent to whom.") { list, retryFailed };
    }

    /// <summary>"held-by=host:pid:id until 10:15:00Z " for a digest a run holds right now.</summary>
    private static string Claim(DigestDelivery delivery) =>
        delivery is { Status: DeliveryStatus.Sending, ClaimedBy: { } by } ? $"held-by={by} until {delivery.LeaseUntil:yyyy-MM-ddTHH:mm:ssZ} " : "";

    /// <summary>"smtp=550/5.1.1 " when the last reply came from an SMTP server, so a column of them can be scanned or grepped.</summary>
    private static string SmtpCodes(DigestDelivery delivery) => delivery.LastStatusCode switch
    {
        null => "",
        int code when delivery.LastEnhancedStatusCode is { } enhanced => $"smtp={code}/{enhanced} ",
        int code => $"smtp={code} ",
    };
}
