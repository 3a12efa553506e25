using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;

namespace PaperMailer.Cli.Commands;

internal static class CollectCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<FileInfo[]>("--file") { Description = "Papers file(s) in the Hugging Face daily_papers JSON shape. Without it, the files in Collect:Files.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("collect", "Collect papers and store them; papers already stored are updated, never duplicated.") { file };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var paths = parse.GetValue(file) is { Length: > 0 } given
                ? given.Select(f => f.FullName).ToList()
                : services.GetRequiredService<IOptions<CollectOptions>>().Value.Files;
            if (paths.Count == 0)
            {
                context.Error.WriteLine("Nothing to collect: give --file PATH or list files in Collect:Files.");
                return ExitCodes.Usage;
            }
            var results = await services.GetRequiredService<PaperCollector>()
                .CollectAsync(paths.Select(p => new PaperFileSource(p)), ct);
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                context.Out.WriteLine(r.Failed
                    ? $"{paths[i]}: failed: {r.Error}"
                    : $"{paths[i]}: {r.Summary.New} new, {r.Summary.Updated} updated, {r.Summary.Unchanged} unchanged");
            }
            return results.Any(r => r.Failed) ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return command;
    }
}
