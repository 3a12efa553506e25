using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Rank;
using PaperMailer.Topics;

namespace PaperMailer.Cli.Commands;

internal static class RankCommand
{
    public static Command Create(CliContext context)
    {
        var papers = new Option<FileInfo>("--papers") { Description = "Papers file: Hugging Face daily_papers JSON, or an array of {id, title, abstract}.", Required = true };
        var keywords = new Option<string>("--keywords") { Description = "Keywords and phrases, separated by commas: \"diffusion, reinforcement learning\"." };
        var exclude = new Option<string>("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        var topicIds = new Option<string>("--topics") { Description = "Topic ids from the topics file, separated by commas." };
        var top = new Option<int>("--top") { Description = "How many papers to show.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print {\"results\": [{\"id\", \"title\", \"score\", \"matched\"}]}." };
        var command = new Command("rank", "Rank a papers file for one keyword profile, exactly as a digest would.") { papers, keywords, exclude, topicIds, top, json };
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
            var topicList = RankingProfile.SplitList(parse.GetValue(topicIds));
            if (topicList.FirstOrDefault(t => catalog.Find(t) is null) is { } unknown)
            {
                context.Error.WriteLine($"--topics: \"{unknown}\" is not a known topic (known: {string.Join(", ", catalog.All.Select(t => t.Id))}).");
                return ExitCodes.Usage;
            }
            var picked = topicList.Select(t => catalog.Find(t)!).ToList();
            var profile = RankingProfile.From(
                RankingProfile.SplitList(parse.GetValue(keywords)).Concat(picked.SelectMany(t => t.Keywords)),
                RankingProfile.SplitList(parse.GetValue(exclude)).Concat(picked.SelectMany(t => t.Exclude)));
            if (profile.Keywords.Count == 0)
            {
                context.Error.WriteLine("The profile is empty: give --keywords or --topics.");
                return ExitCodes.Usage;
            }
            var ranked = services.GetRequiredService<PaperRanker>().Rank(PaperIndex.Build(list), profile, Math.Max(1, parse.GetValue(top)));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(new
                {
                    results = ranked.Select(r => new { id = r.Paper.Id, title = r.Paper.Title, score = r.Score, matched = r.Matched }),
                }));
                return ExitCodes.Ok;
            }
            if (ranked.Count == 0) context.Out.WriteLine("No paper matched the profile.");
            for (var i = 0; i < ranked.Count; i++)
            {
                var r = ranked[i];
                context.Out.WriteLine($"{i + 1,2}. {r.Score,7:0.00}  {r.Paper.Id}  {r.Paper.Title}");
                context.Out.WriteLine($"              matched: {string.Join(", ", r.Matched)}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
