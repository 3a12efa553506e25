using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Rank;
using PaperMailer.Topics;

namespace PaperMailer.Cli.Commands;

internal static class RankCommand
{
    private static readonly JsonSerializerOptions JsonLines = new(CliJson.Options) { WriteIndented = false };

    public static Command Create(CliContext context)
    {
        var papers = new Option<FileInfo>("--papers") { Description = "Papers file: Hugging Face daily_papers JSON, or an array of {id, title, abstract}.", Required = true };
        var keywords = new Option<string>("--keywords") { Description = "Profile: keywords, \"exact phrases\", -exclusions, topic:id, cat:cs.LG, author:Name, separated by commas." };
        var exclude = new Option<string>("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        var topicIds = new Option<string>("--topics") { Description = "Topic ids from the topics file, separated by commas." };
        var profiles = new Option<FileInfo>("--profiles") { Description = "JSON lines, one {\"id\", \"keywords\": [...], \"exclude\": [...], \"topics\": [...]} per line: rank each, print one JSON line per profile." };
        var top = new Option<int>("--top") { Description = "How many papers to show.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print {\"results\": [{\"id\", \"title\", \"score\", \"relevance\", \"matched\", \"where\"}]}." };
        var command = new Command("rank", "Rank a papers file for a keyword profile (or many), exactly as a digest would.") { papers, keywords, exclude, topicIds, profiles, top, json };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            IReadOnlyList<Domain.Paper> list;
            try
            {
                list = await PaperFileReader.ReadFileAsync(parse.GetValue(papers)!.FullName, ct);
            }
            catch (PaperFormatException ex)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }
            var catalog = services.GetRequiredService<ITopicCatalog>();
            var ranker = services.GetRequiredService<PaperRanker>();
            var count = Math.Max(1, parse.GetValue(top));
            if (parse.GetValue(profiles) is { } profilesFile)
            {
                if (parse.GetValue(keywords) is not null || parse.GetValue(topicIds) is not null || parse.GetValue(exclude) is not null)
                {
                    context.Error.WriteLine("--profiles cannot be combined with --keywords, --exclude or --topics: put them in the profiles file.");
                    return ExitCodes.Usage;
                }
                return await RankManyAsync(context, profilesFile, list, catalog, ranker, count, ct);
            }

            RankingProfile profile;
            try
            {
                var topicItems = RankingProfile.SplitList(parse.GetValue(topicIds)).Select(t => "topic:" + t);
                profile = ProfileParser.Parse(
                    string.Join(", ", new[] { parse.GetValue(keywords) ?? "" }.Concat(topicItems).Where(s => s.Length > 0)),
                    RankingProfile.SplitList(parse.GetValue(exclude)),
                    catalog.All);
            }
            catch (ProfileFormatException ex)
            {
                context.Error.WriteLine($"--keywords: {ex.Message}");
                return ExitCodes.Usage;
            }
            var ranked = ranker.Rank(PaperIndex.Build(list), profile, count);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(new { results = ranked.Select(Result) }));
                return ExitCodes.Ok;
            }
            if (ranked.Count == 0) context.Out.WriteLine("No paper matched the profile.");
            for (var i = 0; i < ranked.Count; i++)
            {
                var r = ranked[i];
                context.Out.WriteLine($"{i + 1,2}. {r.Score,7:0.00}  {r.Paper.Id}  {r.Paper.Title}");
                context.Out.WriteLine($"              matched: {string.Join(", ", r.Matches.Select(Describe))}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> RankManyAsync(CliContext context, FileInfo file, IReadOnlyList<Domain.Paper> papers, ITopicCatalog catalog, PaperRanker ranker, int top, CancellationToken ct)
    {
        if (!file.Exists)
        {
            context.Error.WriteLine($"--profiles: {file.FullName} does not exist.");
            return ExitCodes.Usage;
        }
        // All-or-nothing: every line is checked before anything is printed.
        var parsed = new List<(string Id, RankingProfile Profile)>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(file.FullName, ct))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var entry = JsonSerializer.Deserialize<ProfileLine>(line, CliJson.Options)
                    ?? throw new ProfileFormatException("the line is null, not a profile object.");
                if (string.IsNullOrWhiteSpace(entry.Id)) throw new ProfileFormatException("\"id\" is missing.");
                var items = (entry.Keywords ?? []).Select(k => ProfileParser.SplitItems(k) is { Error: { } e } ? throw new ProfileFormatException(e) : k)
                    .Concat((entry.Topics ?? []).Select(t => "topic:" + t));
                parsed.Add((entry.Id, ProfileParser.ParseItems(items, entry.Exclude ?? [], catalog.All)));
            }
            catch (Exception ex) when (ex is JsonException or ProfileFormatException)
            {
                var reason = ex is JsonException json ? $"not a valid JSON profile ({json.Message.Split(" Path:")[0]})" : ex.Message;
                context.Error.WriteLine($"{file.Name}:{lineNumber}: {reason}");
                return ExitCodes.Usage;
            }
        }
        var index = PaperIndex.Build(papers);
        foreach (var (id, profile) in parsed)
        {
            var ranked = ranker.Rank(index, profile, top);
            context.Out.WriteLine(JsonSerializer.Serialize(new { id, results = ranked.Select(Result) }, JsonLines));
        }
        return ExitCodes.Ok;
    }

    private static object Result(RankedPaper r) => new
    {
        id = r.Paper.Id,
        title = r.Paper.Title,
        score = r.Score,
        relevance = r.Relevance,
        matched = r.Matched,
        where = r.Matches.Select(m => new { keyword = m.Keyword, title = m.InTitle, @abstract = m.InAbstract, via = m.Via }),
    };

    private static string Describe(KeywordMatch m) =>
        $"{m.Keyword}{(m.Via is null ? "" : $" (as \"{m.Via}\")")} in {(m.InTitle && m.InAbstract ? "title and abstract" : m.InTitle ? "title" : "abstract")}";

    private sealed record ProfileLine(string? Id, List<string>? Keywords, List<string>? Exclude, List<string>? Topics);
}
