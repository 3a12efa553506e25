using System.CommandLine;
using PaperMailer.Cli.Commands;

namespace PaperMailer.Cli;

/// <summary>The papermailer command line. Configuration arguments (--Section:Key=value) may go anywhere.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (commandArgs, configArgs) = AppConfiguration.Split(args);
        var context = new CliContext(configArgs, output, error);
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Also log what the command does on the error stream (such as loading the embedding model), and when something fails, where in the program it happened.",
            Recursive = true,
        };
        var root = new RootCommand("PaperMailer: personalised research-paper digests by email, self-hosted.")
        {
            RunCommand.Create(context),
            DemoCommand.Create(context),
            CollectCommand.Create(context),
            DigestCommand.Create(context),
            RankCommand.Create(context),
            PapersCommand.Create(context),
            SubscribersCommand.Create(context),
            DeliveriesCommand.Create(context),
            StatusCommand.Create(context),
            BouncesCommand.Create(context),
            PreviewCommand.Create(context),
            DkimCommand.Create(context),
            SendTestCommand.Create(context),
            TemplatesCommand.Create(context),
        };
        root.Options.Add(verbose);
        var parse = root.Parse(commandArgs);
        context.Verbose = parse.GetValue(verbose);
        try
        {
            // No forced exit two seconds after SIGTERM: `digest` finishes and records the sends under way itself, and `run`
            // leaves shutdown to its host, which waits for the digest check in flight.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception ex)
        {
            return FailureReport.Write(ex, error, parse.GetValue(verbose));
        }
    }
}
