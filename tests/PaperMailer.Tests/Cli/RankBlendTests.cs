using System.Text.Json;
using PaperMailer.Cli;
using PaperMailer.Testing;
using PaperMailer.Tests.Rank.Semantic;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>
/// <c>rank</c> with the semantic blend (the product's default; the suite ranks on words unless told): a paper admitted
/// on meaning is shown as such in the single form and in <c>--profiles</c>, the two agree, and <c>--lexical</c> is the
/// ranking with the blend off. In the embedding model's collection: the command loads a model of its own.
/// </summary>
[Collection(nameof(EmbeddingModelCollection))]
public sealed class RankBlendTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public RankBlendTests() => _store = TestStore.Create(_folder.Path);

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

    private static IEnumerable<(string Id, double Score, string? SimilarTo)> Results(JsonElement element) =>
        element.GetProperty("results").EnumerateArray().Select(r =>
            (r.GetProperty("id").GetString()!, r.GetProperty("score").GetDouble(), r.TryGetProperty("similar_to", out var s) ? s.GetString() : null));

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
        var blended = Results(JsonDocument.Parse(many.Out.Split('\n')[0]).RootElement).ToList();
        Assert.Equal(Results(JsonDocument.Parse(single.Out).RootElement), blended);
        var onMeaning = blended.Where(r => r.SimilarTo is not null).ToList();
        Assert.NotEmpty(onMeaning);
        Assert.All(onMeaning, r => Assert.Contains(r.SimilarTo, new[] { "language agents", "video understanding" }));
        Assert.Contains("similar in meaning to: ", text.Out);
        Assert.Equal(off.Out, lexical.Out);
        Assert.NotEqual(off.Out, many.Out);
        Assert.DoesNotContain("similar_to", off.Out);
    }
}
