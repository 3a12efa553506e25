using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli;
using PaperMailer.Collect;
using PaperMailer.Rank;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;
using PaperMailer.Topics;

namespace PaperMailer.Tests.Cli;

/// <summary>
/// What <c>rank --profiles</c> prints, byte for byte: for every profile, in the file's order, the line the ranker's
/// own results make when serialized in the command's JSON shape (the shape the command has always printed, with
/// System.Text.Json's serializer and the CLI's escaping), across batches ranked in parallel; and every bad line
/// reported by its number, with nothing printed.
/// </summary>
public sealed class RankProfilesOutputTests : IDisposable
{
    private static readonly JsonSerializerOptions ExpectedJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] Keywords =
    [
        "agents", "\"language model\"", "diffusion", "reasoning", "speculative decoding", "sparse attention", "robot",
        "tool use", "benchmark", "LLM", "distillation", "multimodal", "memory", "search", "no such word here",
        // Other spellings of keywords above: they share its matches, and each profile must read its own spelling.
        "llms", "Agents", "Diffusion",
    ];

    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public RankProfilesOutputTests() => _store = TestStore.Create(_folder.Path);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private string[] Database => _store.Arguments;

    private async Task<(int Exit, string Out, string Error)> RankAsync(string profilesFile, int top)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(["rank", "--papers", PapersFile(), "--profiles", profilesFile, "--top", top.ToString(), .. Database], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The sample papers and three whose titles need escaping (quotes, backslash, accents, an emoji, markup).</summary>
    private string PapersFile()
    {
        var path = _folder.File("papers.json");
        if (File.Exists(path)) return path;
        var papers = SamplePapers.Load().Select(p => new { id = p.Id, title = p.Title, @abstract = p.Abstract }).ToList();
        papers.Add(new { id = "2701.00001", title = "\"Quoted\" agents \\ backslash: café reasoning 🤖 <b>&amp;</b>", @abstract = "Language model agents that reason about diffusion." });
        papers.Add(new { id = "2701.00002", title = "Agents\tand\u2028separators in reasoning", @abstract = "A benchmark of agents." });
        papers.Add(new { id = "2701.00003", title = "Naïve «reasoning» — über agents", @abstract = "Diffusion language model." });
        File.WriteAllText(path, JsonSerializer.Serialize(papers));
        return path;
    }

    /// <summary>Profiles of 1–4 keywords, some with topics and exclusions, seeded; a blank line now and then.</summary>
    private static List<(string Id, string[] Keywords, string[] Exclusions, string[] Topics)> Profiles(int count)
    {
        var random = new Random(7);
        string[] topics = ["llm-agents", "efficient-inference", "image-generation"];
        return Enumerable.Range(1, count).Select(i => (
            // Now and then an id that needs escaping or is not ASCII, which is written another way than plain ids.
            i % 50 == 0 ? $"profile \"{i}\" \\ café\u2028" : $"profile-{i}",
            Keywords.OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToArray(),
            random.Next(4) == 0 ? [Keywords[random.Next(Keywords.Length)]] : Array.Empty<string>(),
            random.Next(6) == 0 ? [topics[random.Next(topics.Length)]] : Array.Empty<string>())).ToList();
    }

    private static string Line((string Id, string[] Keywords, string[] Exclusions, string[] Topics) p) =>
        JsonSerializer.Serialize(new { id = p.Id, keywords = p.Keywords, exclude = p.Exclusions, topics = p.Topics });

    /// <summary>The line the command should print: the ranker's results for the profile, serialized in the command's shape.</summary>
    /// <summary>Each profile's line as ranking it alone with the product's ranker gives it, for comparing with the command's output.</summary>
    private async Task<List<string>> ExpectedLinesAsync(IEnumerable<(string Id, string[] Keywords, string[] Exclusions, string[] Topics)> profiles, int top)
    {
        using var services = CliServices.Build(AppConfiguration.Build(Database));
        var ranker = services.GetRequiredService<PaperRanker>();
        var topics = services.GetRequiredService<ITopicCatalog>().All;
        var index = PaperIndex.Build(await PaperFileReader.ReadFileAsync(PapersFile()));
        return profiles.Select(p => Expected(ranker, index, topics, p, top)).ToList();
    }

    private string Expected(PaperRanker ranker, PaperIndex index, IReadOnlyList<Domain.Topic> topics, (string Id, string[] Keywords, string[] Exclusions, string[] Topics) p, int top)
    {
        var profile = ProfileParser.ParseItems(p.Keywords.Concat(p.Topics.Select(t => "topic:" + t)), p.Exclusions, topics);
        var results = ranker.Rank(index, profile, top).Select(r => new
        {
            id = r.Paper.Id,
            title = r.Paper.Title,
            score = r.Score,
            relevance = r.Relevance,
            matched = r.Matched,
            partly = r.Partly,
            where = r.Matches.Select(m => new { keyword = m.Keyword, title = m.InTitle, @abstract = m.InAbstract, via = m.Via, partly = m.PartWords }),
        });
        return JsonSerializer.Serialize(new { id = p.Id, results }, ExpectedJson);
    }

    [Fact]
    public async Task Every_profile_gets_the_rankers_results_as_one_line_in_the_files_order()
    {
        // More than one batch of lines, so that batches ranked at the same time must come out in order.
        var profiles = Profiles(1_500);
        var file = _folder.File("profiles.jsonl");
        var text = new StringBuilder();
        for (var i = 0; i < profiles.Count; i++)
        {
            text.Append(Line(profiles[i])).Append(i % 2 == 0 ? "\n" : "\r\n");
            if (i % 97 == 0) text.Append("  \n");
        }
        await File.WriteAllTextAsync(file, text.ToString());

        var result = await RankAsync(file, top: 7);

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.Exit);
        var expected = string.Concat((await ExpectedLinesAsync(profiles, top: 7)).Select(line => line + Environment.NewLine));
        Assert.Equal(expected, result.Out);
        Assert.Contains("\\\"Quoted\\\" agents \\\\ backslash: café", result.Out);
    }

    [Fact]
    public async Task Profiles_that_repeat_print_the_lines_ranking_each_of_them_on_its_own_prints()
    {
        // 4,000 profiles, most of them repeating one of 250 (in other orders, other spellings, with other ids): the
        // command writes a repeat from the results it remembers; each line must still be what ranking that profile
        // alone gives, serialized from the ranker's result records.
        var distinct = Profiles(250);
        var random = new Random(11);
        var profiles = Enumerable.Range(1, 4_000)
            .Select(i => distinct[random.Next(distinct.Count)] with { Id = $"repeat-{i}" })
            .Select(p => random.Next(5) == 0 ? p with { Keywords = [.. p.Keywords.Reverse()] } : p)
            .ToList();
        var file = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(file, profiles.Select(Line));

        var result = await RankAsync(file, top: 10);

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.Exit);
        var expected = await ExpectedLinesAsync(profiles, top: 10);
        var lines = result.Out.Split(Environment.NewLine);
        Assert.Equal(profiles.Count + 1, lines.Length);
        for (var i = 0; i < profiles.Count; i++) Assert.Equal(expected[i], lines[i]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_of_more_profiles_than_are_kept_between_the_passes_is_read_again_with_the_same_lines(bool withBadLine)
    {
        // 1,500 profiles, 300 kept: the second pass reads and parses the file again, batch by batch, in order.
        var profiles = Profiles(1_500);
        var lines = profiles.Select(Line).ToList();
        var file = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        var everything = await RankAsync(file, top: 7);
        Assert.Equal(0, everything.Exit);

        using var services = CliServices.Build(AppConfiguration.Build(Database));
        var ranking = new PaperMailer.Cli.Ranking.ProfilesRanking(
            PaperMailer.Cli.Ranking.PapersLoading.Of(await PaperFileReader.ReadFileAsync(PapersFile())).Index, services.GetRequiredService<PaperRanker>(), services.GetRequiredService<ITopicCatalog>().All, 7);
        if (withBadLine)
        {
            // Changed after the command's run: checked again, it is refused whole.
            lines.Insert(1_200, """{"id": "a", "keywords": ["of the"]}""");
            await File.WriteAllLinesAsync(file, lines);
        }
        var output = new StringWriter();
        PaperMailer.Cli.Ranking.BadProfileLine? bad;
        await using (var json = PaperMailer.Cli.Ranking.JsonLinesOutput.For(output))
        {
            bad = await ranking.RunAsync(file, json, maxProfilesKept: 300, CancellationToken.None);
        }

        if (!withBadLine)
        {
            Assert.Null(bad);
            Assert.Equal(everything.Out, output.ToString());
        }
        else
        {
            Assert.Equal(1_201, bad?.LineNumber);
            Assert.Equal("", output.ToString());
        }
    }

    [Theory]
    [InlineData("""{"id": "a", "keywords": "diffusion"}""", "not a valid JSON profile (\"keywords\" must be a list of text, found text).")]
    [InlineData("""{"id": 5, "keywords": ["diffusion"]}""", "not a valid JSON profile (\"id\" must be text, found a number).")]
    [InlineData("""{"id": "a", "keywords": ["diffusion", 3]}""", "not a valid JSON profile (\"keywords\" must be a list of text, found a number in it).")]
    [InlineData("""["a", "diffusion"]""", "not a valid JSON profile (a profile is a JSON object, found a list).")]
    [InlineData("""null""", "the line is null, not a profile object.")]
    [InlineData("""{"id": "a", "keywords": ["diffusion"]} {"id": "b"}""", "not a valid JSON profile (")]
    [InlineData("""{"id": "a", "keywords": ["of the"]}""", "\"of the\" has no searchable words")]
    [InlineData("""{"id": "a", "keywords": ["diffusion"], "topics": ["no-such-topic"]}""", "\"topic:no-such-topic\" is not a known topic")]
    [InlineData("""{"id": "a", "keywords": ["diffusion", "topic:astro"]}""", "\"topic:astro\" is not a known topic")]
    [InlineData("""{"id": "a", "keywords": ["cat:cs.LG", "author:\"Sergey Levine\""]}""", "Boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper")]
    [InlineData("""{"id": "  ", "keywords": ["diffusion"]}""", "\"id\" is missing.")]
    [InlineData("""{"id": "a", "keywords": [""]}""", "The profile is empty: give at least one keyword or topic.")]
    public async Task A_bad_line_after_many_good_ones_is_named_by_its_number_and_nothing_is_printed(string badLine, string reason)
    {
        // The bad line sits in a later batch than the first, behind blank lines that still count.
        var lines = Profiles(1_200).Select(Line).ToList();
        lines.Insert(10, "");
        lines.Insert(1_100, badLine);
        var file = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(file, lines);

        var result = await RankAsync(file, top: 5);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.StartsWith("profiles.jsonl:1101: ", result.Error);
        Assert.Contains(reason, result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Text_that_is_not_utf8_is_named_by_its_line()
    {
        var file = _folder.File("profiles.jsonl");
        var good = Encoding.UTF8.GetBytes(Line(Profiles(1)[0]) + "\n");
        byte[] bad = [.. "{\"id\": \"a\", \"keywords\": [\"caf"u8, 0xE9, .. "\"]}\n"u8];
        await File.WriteAllBytesAsync(file, [.. good, .. bad]);

        var result = await RankAsync(file, top: 5);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Equal("profiles.jsonl:2: not a valid JSON profile (its text is not valid UTF-8).", result.Error.Trim());
    }
}
