using PaperMailer.Collect.Sources;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>One paper per arXiv id whichever sources saw it, with each source's fields kept.</summary>
public sealed class SourceMergeTests : SourceTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sources:Arxiv:PageSize"] = "10" };

    [Fact]
    public async Task Hugging_face_then_a_new_arxiv_version_updates_one_paper_without_making_it_new_again()
    {
        // The recordings do not overlap; the arXiv one is edited so its first entry is version 2 of a paper Hugging Face listed.
        var arxiv = RecordedPayloads.Edited(RecordedPayloads.ArxivApi, "http://arxiv.org/abs/2606.13677v1", "http://arxiv.org/abs/2606.13392v2");
        Server.Handle = (context, _) => context.Request.Path.StartsWithSegments("/api/query")
            ? RecordedServer.Send(context, RecordedPayloads.Query(context, "start", 0) == 0 ? arxiv : RecordedPayloads.ArxivApiPage(0, 0), "application/atom+xml")
            : RecordedServer.Send(context, context.Request.Query["date"] == RecordedPayloads.HuggingFaceDay ? RecordedPayloads.HuggingFace : "[]"u8.ToArray(), "application/json");
        var firstSeen = App.Clock.GetUtcNow();

        var hf = await CollectAsync<HuggingFaceDailyPapersSource>();
        App.Clock.Advance(TimeSpan.FromHours(2));
        var api = await CollectAsync<ArxivApiSource>();

        Assert.Equal(30, hf.Summary.New);
        Assert.Equal((4, 1), (api.Summary.New, api.Summary.Updated));
        var stored = await StoredAsync();
        Assert.Equal(34, stored.Count);
        var msa = Assert.Single(stored, p => p.Id == "2606.13392");
        Assert.Equal(firstSeen, msa.FirstSeenAt);
        Assert.Equal("huggingface", msa.Source);
        Assert.Equal(103, msa.Upvotes);
        Assert.NotEmpty(msa.AiKeywords);
        Assert.Equal(251, msa.GithubStars);
        Assert.Equal(2, msa.Version);
        Assert.Equal("cs.RO", msa.PrimaryCategory);
        Assert.Equal(["cs.RO", "cs.AI", "cs.CV", "cs.LG"], msa.Categories);
        Assert.Equal("Mana: Dexterous Manipulation of Articulated Tools", msa.Title);
    }
}
