using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli.Ranking;
using PaperMailer.Collect;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Topics;

namespace PaperMailer.Cli.Commands;

internal static class RankCommand
{
    public static Command Create(CliContext context)
    {
        var papers = new Option<FileInfo>("--papers") { Description = "Papers file: Hugging Face daily_papers JSON, or an array of {id, title, abstract}.", Required = true };
        var keywords = new Option<string>("--keywords") { Description = "Profile: keywords, \"exact phrases\", -exclusions, topic:id, cat:cs.LG, author:Name, separated by commas." };
        var exclude = new Option<string>("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        var topicIds = new Option<string>("--topics") { Description = "Topic ids from the topics file, separated by commas." };
        var profiles = new Option<FileInfo>("--profiles") { Description = "JSON lines, one {\"id\", \"keywords\": [...], \"exclude\": [...], \"topics\": [...]} per line: rank each, print one JSON line per profile." };
        var top = new Option<int>("--top") { Description = "How many papers to show.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print {\"results\": [{\"id\", \"title\", \"score\", \"relevance\", \"matched\", \"partly\", \"similar_to\", \"where\"}]}." };
        var lexical = new Option<bool>("--lexical")
        {
            Description = "Rank on words alone, as with Ranking:Semantic=false: the embedding model is not loaded (~400 MB) and the papers are not embedded "
                + "(otherwise papers the database holds with the same text use their stored vectors, and the others are embedded now, ~45 ms of CPU each).",
        };
        var command = new Command("rank", "Rank a papers file for a keyword profile (or many), exactly as a digest would.") { papers, keywords, exclude, topicIds, profiles, top, json, lexical };
        command.SetAction((parse, ct) =>
        {
            var loading = PapersLoading.Start(parse.GetValue(papers)!.FullName, ct);
            return context.WithServicesAsync(services => RunAsync(parse, loading, services, ct));
        });
        return command;

        async Task<int> RunAsync(ParseResult parse, PapersLoading loading, IServiceProvider services, CancellationToken ct)
        {
            try
            {
                await loading.Papers;
            }
            catch (PaperFormatException ex)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }
            var catalog = services.GetRequiredService<ITopicCatalog>();
            var ranker = services.GetRequiredService<PaperRanker>();
            var storedVectors = services.GetRequiredService<StoredPaperVectors>();
            var profileVectors = services.GetRequiredService<StoredProfileVectors>();
            // The papers' vectors, and the profiles' ready beside them (read from the database, or embedded once and kept):
            // the blend needs both, and without either ranking is lexical.
            Func<PaperIndex, IReadOnlyList<RankingProfile>, Task<PaperVectors?>> vectorsOf = parse.GetValue(lexical)
                ? (_, _) => Task.FromResult<PaperVectors?>(null)
                : async (index, ranked) => await profileVectors.BlendingAsync(await storedVectors.ForFileAsync(index, ct), ranked, ct);
            var count = Math.Max(1, parse.GetValue(top));
            if (parse.GetValue(profiles) is { } profilesFile)
            {
                if (parse.GetValue(keywords) is not null || parse.GetValue(topicIds) is not null || parse.GetValue(exclude) is not null)
                {
                    context.Error.WriteLine("--profiles cannot be combined with --keywords, --exclude or --topics: put them in the profiles file.");
                    return ExitCodes.Usage;
                }
                return await RankManyAsync(context, profilesFile, loading.Index, catalog, ranker, vectorsOf, count, ct);
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
            var index = await loading.Index;
            var ranked = ranker.Rank(index, profile, count, vectors: await vectorsOf(index, [profile]));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ResultsJson(new RankedPapersJson(index), ranked));
                return ExitCodes.Ok;
            }
            if (ranked.Count == 0) context.Out.WriteLine("No paper matched the profile.");
            for (var i = 0; i < ranked.Count; i++)
            {
                var r = ranked[i];
                context.Out.WriteLine($"{i + 1,2}. {r.Score,7:0.00}  {r.Paper.Id}  {r.Paper.Title}");
                context.Out.WriteLine($"              {Explain(r)}");
            }
            return ExitCodes.Ok;
        }
    }

    private static async Task<int> RankManyAsync(CliContext context, FileInfo file, Task<PaperIndex> index, ITopicCatalog catalog, PaperRanker ranker,
        Func<PaperIndex, IReadOnlyList<RankingProfile>, Task<PaperVectors?>> vectorsOf, int top, CancellationToken ct)
    {
        if (!file.Exists)
        {
            context.Error.WriteLine($"--profiles: {file.FullName} does not exist.");
            return ExitCodes.Usage;
        }
        var ranking = new ProfilesRanking(index, ranker, catalog.All, top, vectorsOf);
        BadProfileLine? bad;
        await using (var output = JsonLinesOutput.For(context.Out))
        {
            try
            {
                bad = await ranking.RunAsync(file.FullName, output, ct);
            }
            catch (InvalidDataException ex)
            {
                context.Error.WriteLine($"{file.Name}: {ex.Message}");
                return ExitCodes.Usage;
            }
        }
        if (bad is null) return ExitCodes.Ok;
        context.Error.WriteLine($"{file.Name}:{bad.LineNumber}: {bad.Reason}");
        return ExitCodes.Usage;
    }

    /// <summary><c>{"results": [...]}</c>, indented as the CLI prints JSON.</summary>
    private static string ResultsJson(RankedPapersJson papersJson, IReadOnlyList<RankedPaper> ranked)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, RankedPapersJson.WriterOptions(indented: true)))
        {
            writer.WriteStartObject();
            papersJson.WriteResults(writer, ranked);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>
    /// "matched: tool use in title; partly: generation (of retrieval augmented generation) in abstract", or "similar in
    /// meaning to: graph neural networks (0.52)": the digest's explanation with where each part is.
    /// </summary>
    private static string Explain(RankedPaper r)
    {
        if (r.SimilarTo is { } similar && r.Matches.Count == 0) return $"similar in meaning to: {similar} ({r.Similarity:0.00})";
        var whole = r.Matches.Where(m => !m.Partial).Select(Where).ToList();
        var partial = r.Matches.Where(m => m.Partial).Select(m => $"{m.PartWords} (of {m.Keyword}) in {Place(m)}").ToList();
        var parts = new List<string>();
        if (whole.Count > 0) parts.Add($"matched: {string.Join(", ", whole)}");
        if (partial.Count > 0) parts.Add($"partly: {string.Join(", ", partial)}");
        return string.Join("; ", parts);

        static string Where(KeywordMatch m) => $"{m.Keyword}{(m.Via is null ? "" : $" (as \"{m.Via}\")")} in {Place(m)}";
        static string Place(KeywordMatch m) => m.InTitle && m.InAbstract ? "title and abstract" : m.InTitle ? "title" : "abstract";
    }
}
