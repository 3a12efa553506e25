using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Deliver.Dkim;

namespace PaperMailer.Cli.Commands;

/// <summary>`papermailer dkim`: the DNS TXT record that lets receivers verify PaperMailer's DKIM signatures.</summary>
internal static class DkimCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("dkim", "Print the DNS TXT record to publish for the configured DKIM key (Dkim:Domain, Dkim:Selector, Dkim:PrivateKeyFile).");
        command.SetAction((parse, ct) => context.WithServicesAsync(services =>
        {
            var signer = services.GetRequiredService<DkimMessageSigner>();
            if (!signer.IsEnabled)
            {
                context.Error.WriteLine("DKIM is not configured: set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile (e.g. --Dkim:Domain=example.org).");
                return Task.FromResult(ExitCodes.Configuration);
            }

            context.Out.WriteLine("; Publish this record in the signing domain's DNS zone:");
            context.Out.WriteLine(signer.DnsRecord());
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
