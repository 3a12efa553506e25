using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Bounces;

namespace PaperMailer.Cli.Commands;

internal static class BouncesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("bounces",
            "Read the bounce mailbox once (Bounces:Host), as the service does every Bounces:CheckInterval: a hard bounce suppresses the address, a soft " +
            "bounce is counted, a complaint unsubscribes; each report is handled once. Prints one line per report and lists messages that are not " +
            "reports (left alone). Exit code 1 when the mailbox cannot be read.");
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var mailbox = services.GetRequiredService<BounceMailbox>();
            if (!mailbox.Configured)
            {
                context.Error.WriteLine("No bounce mailbox is configured: set Bounces:Host, Bounces:UserName and Bounces__Password (README, \"Bounces and complaints\").");
                return ExitCodes.Configuration;
            }
            BounceMailboxPass pass;
            try
            {
                pass = await mailbox.ReadAsync(ct);
            }
            catch (BounceMailboxException ex)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }
            foreach (var outcome in pass.Outcomes) context.Out.WriteLine($"  {outcome.Email ?? "(no digest of ours)"}: {outcome.Says}");
            foreach (var line in pass.NotReports) context.Out.WriteLine($"  left alone, not a delivery or feedback report: {line}");
            context.Out.WriteLine(pass.Summary() + ".");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
