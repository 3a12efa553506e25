using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;

namespace PaperMailer.Cli.Commands;

internal static class CollectCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<FileInfo[]>("--file") { Description = "Papers file(s) in the Hugging Face daily_papers JSON shape.", AllowMultipleArgumentsPerToken = true };
        var source = new Option<string?>("--source") { Description = "Network source to collect from: hf, arxiv, arxiv-feed, or all (the enabled ones)." };
        source.AcceptOnlyFromAmong([.. PaperSourceSet.Names, "all"]);
        var since = new Option<string?>("--since") { Description = "Collect from this day (yyyy-MM-dd) on, whatever the sources remember, within their horizon." };
        var command = new Command("collect",
            "Collect papers and store them; papers already stored are updated, never duplicated. Without options: the files in "
            + "Collect:Files and every enabled network source.") { file, source, since };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            DateOnly? sinceDay = null;
            if (parse.GetValue(since) is { } sinceText)
            {
                if (!DateOnly.TryParseExact(sinceText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    context.Error.WriteLine($"--since \"{sinceText}\" is not a date; give it as yyyy-MM-dd, for example 2026-06-12.");
                    return ExitCodes.Usage;
                }
                sinceDay = day;
            }
            var chosen = Choose(services, parse.GetValue(file), parse.GetValue(source));
            if (chosen.Count == 0)
            {
                context.Error.WriteLine("Nothing to collect: give --file PATH or --source NAME, list files in Collect:Files, or enable a source under Sources.");
                return ExitCodes.Usage;
            }
            var collector = services.GetRequiredService<PaperCollector>();
            var showProgress = ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
            var results = new List<CollectResult>();
            foreach (var (label, paperSource) in chosen)
            {
                if (showProgress) context.Error.WriteLine($"Collecting from {label}…");
                results.Add(await collector.CollectOneAsync(paperSource, ct, sinceDay));
            }
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                context.Out.WriteLine(r.Failed
                    ? $"{chosen[i].Label}: failed: {r.Error}"
                    : $"{chosen[i].Label}: {r.Summary.New} new, {r.Summary.Updated} updated, {r.Summary.Unchanged} unchanged");
            }
            var failed = results.Count(r => r.Failed);
            context.Out.WriteLine($"{results.Count} source(s): {results.Sum(r => r.Summary.New)} new, {results.Sum(r => r.Summary.Updated)} updated, "
                + $"{results.Sum(r => r.Summary.Unchanged)} unchanged, {failed} failed.");
            return failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return command;
    }

    private static List<(string Label, IPaperSource Source)> Choose(IServiceProvider services, FileInfo[]? files, string? sourceName)
    {
        var chosen = new List<(string, IPaperSource)>();
        var paths = files is { Length: > 0 } given
            ? given.Select(f => f.FullName).ToList()
            : sourceName is null ? services.GetRequiredService<IOptions<CollectOptions>>().Value.Files : [];
        chosen.AddRange(paths.Select(p => (p, (IPaperSource)new PaperFileSource(p))));
        var network = services.GetRequiredService<PaperSourceSet>();
        IEnumerable<IIncrementalPaperSource> sources = sourceName switch
        {
            null => files is { Length: > 0 } ? [] : network.Enabled,
            "all" => network.Enabled,
            _ => [network.Find(sourceName)!],
        };
        chosen.AddRange(sources.Select(s => (s.Name, (IPaperSource)s)));
        return chosen;
    }
}
