using System.Text.Json;
using System.Text.Json.Nodes;
using PaperMailer.Cli;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary><c>rank --profiles</c> (many profiles in one process) and <c>rank --keywords</c>'s profile errors.</summary>
public sealed class RankCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public RankCommandTests() => _store = TestStore.Create(_folder.Path);

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. _store.Arguments], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static IEnumerable<(string Id, double Score, double Relevance)> Results(JsonElement element) =>
        element.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("score").GetDouble(), r.GetProperty("relevance").GetDouble()));

    [Fact]
    public async Task A_paper_matching_keywords_only_in_part_is_shown_as_partly_in_text_and_json_never_as_matched()
    {
        // Issue 12: "High-Fidelity Two-Step Image Generation…" has neither "retrieval" nor "augmented" nor "tool".
        string[] args = ["rank", "--papers", SamplePapers.FilePath, "--keywords", "retrieval augmented generation, tool use", "--top", "40"];

        var text = await RunAsync(args);
        var json = await RunAsync([.. args, "--json"]);

        Assert.Equal(0, text.Exit);
        var lines = text.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var at = lines.FindIndex(l => l.Contains("2606.12575", StringComparison.Ordinal));
        Assert.True(at >= 0, text.Out);
        Assert.Equal("partly: generation (of retrieval augmented generation) in title and abstract, use (of tool use) in abstract", lines[at + 1].Trim());
        var paper = JsonDocument.Parse(json.Out).RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "2606.12575");
        Assert.Empty(paper.GetProperty("matched").EnumerateArray());
        Assert.Equal(["generation", "use"], paper.GetProperty("partly").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["generation", "use"], paper.GetProperty("where").EnumerateArray().Select(e => e.GetProperty("partly").GetString()));
    }

    [Fact]
    public async Task Profiles_file_prints_one_line_per_profile_with_the_scores_of_the_single_profile_form()
    {
        var file = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"id": "alice", "keywords": ["sparse attention", "speculative decoding"]}""",
            "",
            """{"id": "bob", "keywords": ["\"language model\"", "reasoning"], "exclude": ["math"]}""",
        ]);

        var many = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--profiles", file, "--top", "5");
        var alice = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", "sparse attention, speculative decoding", "--top", "5", "--json");
        var bob = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", "\"language model\", reasoning", "--exclude", "math", "--top", "5", "--json");

        Assert.Equal(0, many.Exit);
        var lines = many.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["alice", "bob"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.NotEmpty(Results(lines[0]));
        Assert.NotEmpty(Results(lines[1]));
        Assert.Equal(Results(JsonDocument.Parse(alice.Out).RootElement), Results(lines[0]));
        Assert.Equal(Results(JsonDocument.Parse(bob.Out).RootElement), Results(lines[1]));
    }

    [Theory]
    [InlineData("""{"id": "a", "keywords": ["\"unclosed phrase"]}""", "Unbalanced quote")]
    [InlineData("""{"id": "a", "keywords": [], "exclude": ["graph"]}""", "only exclusions")]
    [InlineData("""{"id": "a", "keywords": []}""", "The profile is empty")]
    [InlineData("""{"keywords": ["diffusion"]}""", "\"id\" is missing")]
    [InlineData("""{"id": "a", "keywords": ["diffusion"]""", "not a valid JSON profile")]
    public async Task A_bad_line_is_reported_as_file_line_reason_with_exit_2_and_nothing_printed(string badLine, string reason)
    {
        var file = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"id": "ok", "keywords": ["diffusion"]}""", badLine]);

        var result = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--profiles", file);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.StartsWith("profiles.jsonl:2: ", result.Error);
        Assert.Contains(reason, result.Error);
    }

    [Theory]
    [InlineData("\"sparse attention, decoding", "--keywords: Unbalanced quote: \"sparse attention, decoding has no closing quote.")]
    [InlineData("", "--keywords: The profile is empty: give at least one keyword or topic.")]
    [InlineData("-graph, -survey", "--keywords: The profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for.")]
    [InlineData("cat:cs.LG, author:Levine", "--keywords: Boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic.")]
    [InlineData("topic:astro", "--keywords: \"topic:astro\" is not a known topic (known: ")]
    public async Task Keywords_that_do_not_form_a_profile_exit_2_with_the_reason(string keywords, string message)
    {
        var result = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", keywords);

        Assert.Equal(2, result.Exit);
        Assert.StartsWith(message, result.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task A_settings_problem_is_said_before_a_papers_file_problem_though_the_papers_are_read_while_settings_are_checked()
    {
        var missing = _folder.File("no-such-papers.json");
        var profiles = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(profiles, ["""{"id": "a", "keywords": ["diffusion"]}"""]);

        var both = await RunAsync("rank", "--papers", missing, "--profiles", profiles, "--Ranking:MinScore=-1");
        var papersOnly = await RunAsync("rank", "--papers", missing, "--profiles", profiles);

        Assert.Equal(2, both.Exit);
        Assert.Contains("Ranking:MinScore", both.Error);
        Assert.DoesNotContain("no-such-papers.json", both.Error);
        Assert.Equal("", both.Out);
        Assert.Equal(1, papersOnly.Exit);
        Assert.Equal($"Papers file {missing} does not exist.", papersOnly.Error.Trim());
        Assert.Equal("", papersOnly.Out);
    }

    private static IEnumerable<(string Id, double Score, string? SimilarTo)> ResultsWithSimilarity(JsonElement element) =>
        element.GetProperty("results").EnumerateArray().Select(r =>
            (r.GetProperty("id").GetString()!, r.GetProperty("score").GetDouble(), r.TryGetProperty("similar_to", out var s) ? s.GetString() : null));

    /// <summary>
    /// The semantic blend (the product's default; the suite ranks on words unless told): a paper admitted on meaning is
    /// shown as such in the single form and in --profiles, the two agree, and --lexical is the ranking with the blend off.
    /// The command loads a model of its own.
    /// </summary>
    [Fact]
    public async Task Blended_profiles_lines_match_the_single_form_admit_papers_on_meaning_and_lexical_is_the_blend_off()
    {
        var profiles = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(profiles, ["""{"id": "mixed", "keywords": ["language agents", "video understanding"]}"""]);
        // Collected first, so rank reads the vectors stored with the papers.
        Assert.Equal(0, (await RunAsync("collect", "--file", SamplePapers.FilePath, "--Ranking:Semantic=true")).Exit);

        var many = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--profiles", profiles, "--top", "30", "--Ranking:Semantic=true");
        var single = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", "language agents, video understanding", "--top", "30", "--json", "--Ranking:Semantic=true");
        var text = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", "language agents, video understanding", "--top", "30", "--Ranking:Semantic=true");
        var lexical = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--profiles", profiles, "--top", "30", "--Ranking:Semantic=true", "--lexical");
        var off = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--profiles", profiles, "--top", "30", "--Ranking:Semantic=false");

        Assert.Equal(0, many.Exit);
        var line = JsonDocument.Parse(many.Out.Split('\n')[0]).RootElement;
        var blended = ResultsWithSimilarity(line).ToList();
        Assert.Equal(ResultsWithSimilarity(JsonDocument.Parse(single.Out).RootElement), blended);
        // Every field of every result, explanations included: --profiles writes from the ranker's selection, the
        // single form from result records.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(line.GetProperty("results").GetRawText()),
            JsonNode.Parse(JsonDocument.Parse(single.Out).RootElement.GetProperty("results").GetRawText())));
        var onMeaning = blended.Where(r => r.SimilarTo is not null).ToList();
        Assert.NotEmpty(onMeaning);
        Assert.All(onMeaning, r => Assert.Contains(r.SimilarTo, new[] { "language agents", "video understanding" }));
        Assert.Contains("similar in meaning to: ", text.Out);
        Assert.Equal(off.Out, lexical.Out);
        Assert.NotEqual(off.Out, many.Out);
        Assert.DoesNotContain("similar_to", off.Out);
    }

    /// <summary>
    /// The profiles' keyword vectors are kept in the database: a second <c>rank --profiles</c> process over it prints
    /// the same bytes without loading the model (which <c>--verbose</c> logs), and a process ranking one more keyword
    /// embeds only that one.
    /// </summary>
    [Fact]
    public async Task A_second_rank_process_reads_the_keyword_vectors_the_first_stored_loads_no_model_and_prints_the_same_bytes()
    {
        var profiles = _folder.File("profiles.jsonl");
        await File.WriteAllLinesAsync(profiles,
        [
            """{"id": "agents", "keywords": ["language agents", "RAG"]}""",
            """{"id": "video", "keywords": ["video understanding"], "topics": ["robotics"]}""",
        ]);
        Assert.Equal(0, (await RunAsync("collect", "--file", SamplePapers.FilePath, "--Ranking:Semantic=true")).Exit);
        string[] rank = ["rank", "--papers", SamplePapers.FilePath, "--profiles", profiles, "--top", "30", "--Ranking:Semantic=true", "--verbose", .. _store.Arguments];

        var first = await ChildProcess.RunPaperMailerAsync(_folder.Path, rank);
        var second = await ChildProcess.RunPaperMailerAsync(_folder.Path, rank);
        await File.AppendAllLinesAsync(profiles, ["""{"id": "more", "keywords": ["speech recognition", "RAG"]}"""]);
        var third = await ChildProcess.RunPaperMailerAsync(_folder.Path, rank);

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        Assert.Contains("Loaded the embedding model", first.Error);
        Assert.DoesNotContain("Loaded the embedding model", second.Error);
        Assert.Equal(first.Out, second.Out);
        Assert.Contains("similar_to", first.Out);
        Assert.Contains("Embedded 1 keyword and topic texts", third.Error);
        Assert.StartsWith(first.Out, third.Out, StringComparison.Ordinal);
    }
}
