using PaperMailer.Collect.Sources;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>The arXiv API and announcement feed against a local server replaying recorded responses.</summary>
public sealed class ArxivSourcesTests : SourceTestBase
{
    protected override DateTimeOffset Now => new(2026, 6, 14, 3, 0, 0, TimeSpan.Zero);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sources:Arxiv:PageSize"] = "2",
        ["Sources:Arxiv:Categories:0"] = "cs.LG",
    };

    private void ServeApiPages() => Server.Handle = (context, _) => RecordedServer.Send(context,
        RecordedPayloads.ArxivApiPage(RecordedPayloads.Query(context, "start", 0), RecordedPayloads.Query(context, "max_results", 10)), "application/atom+xml");

    [Fact]
    public async Task The_api_is_paged_newest_first_three_seconds_apart_and_a_second_run_stops_at_the_watermark()
    {
        ServeApiPages();

        var first = await CollectAsync<ArxivApiSource>();
        var firstRequests = Server.Requests.ToList();
        Server.Requests.Clear();
        var second = await CollectAsync<ArxivApiSource>();

        Assert.Null(first.Error);
        Assert.Equal(5, first.Summary.New);
        Assert.Equal(["start=0&max_results=2", "start=2&max_results=2", "start=4&max_results=2", "start=5&max_results=2"], firstRequests.Select(r => r.Split("descending&")[1]));
        Assert.All(firstRequests, r => Assert.StartsWith("/api/query?search_query=cat%3Acs.LG&sortBy=lastUpdatedDate&sortOrder=descending&", r));
        Assert.All(App.Clock.Delays, d => Assert.Equal(TimeSpan.FromSeconds(3), d));
        Assert.True(App.Clock.Delays.Count >= 3);
        Assert.Equal(0, second.Summary.Total);
        Assert.Single(Server.Requests);
        Assert.Equal("2026-06-11T17:59:49Z", await WatermarkAsync("arxiv"));

        var mana = Assert.Single(await StoredAsync(), p => p.Id == "2606.13677");
        Assert.Equal("Mana: Dexterous Manipulation of Articulated Tools", mana.Title);
        Assert.Equal(1, mana.Version);
        Assert.Equal("cs.RO", mana.PrimaryCategory);
        Assert.Equal(["cs.RO", "cs.AI", "cs.CV", "cs.LG"], mana.Categories);
        Assert.Equal(["Zhao-Heng Yin", "Guanya Shi", "Pieter Abbeel", "C. Karen Liu"], mana.Authors);
        Assert.Equal("https://arxiv.org/pdf/2606.13677v1", mana.PdfLink);
        Assert.Equal("https://arxiv.org/abs/2606.13677v1", mana.AbstractLink);
        Assert.Equal(new DateTimeOffset(2026, 6, 11, 17, 59, 49, TimeSpan.Zero), mana.PublishedAt);
        Assert.StartsWith("Articulated tool manipulation remains a major challenge", mana.Abstract);
        Assert.DoesNotContain("\n", mana.Abstract);
    }

    [Fact]
    public async Task Broken_xml_names_source_url_and_line_and_stores_nothing()
    {
        Server.Handle = (context, _) => RecordedServer.Send(context, RecordedPayloads.Truncated(RecordedPayloads.ArxivApi), "application/atom+xml");

        var result = await CollectAsync<ArxivApiSource>();

        Assert.Matches(@"^arxiv: http://127\.0\.0\.1:\d+/api/query\?search_query=cat%3Acs\.LG&sortBy=lastUpdatedDate&sortOrder=descending&start=0&max_results=2: not well-formed XML at line \d+, column \d+: .+\.$", result.Error);
        Assert.Empty(await StoredAsync());
        Assert.Null(await WatermarkAsync("arxiv"));
    }

    [Fact]
    public async Task The_feed_takes_new_submissions_and_cross_lists_with_their_fields()
    {
        Server.Handle = (context, _) => RecordedServer.Send(context, RecordedPayloads.ArxivFeed, "application/atom+xml");

        var result = await CollectAsync<ArxivFeedSource>();

        Assert.Null(result.Error);
        Assert.Equal(["/atom/cs.LG"], Server.Requests);
        Assert.Equal(86, result.Summary.New);
        var coa = Assert.Single(await StoredAsync(), p => p.Id == "2508.13167");
        Assert.StartsWith("Chain-of-Agents: End-to-End Agent Foundation Models", coa.Title);
        Assert.StartsWith("Recent advances in large language models (LLMs)", coa.Abstract);
        Assert.Equal(30, coa.Authors.Count);
        Assert.Equal("Weizhen Li", coa.Authors[0]);
        Assert.Equal(["cs.AI", "cs.CL"], coa.Categories);
        Assert.Equal(1, coa.Version);
        Assert.Equal("https://arxiv.org/abs/2508.13167", coa.AbstractLink);
        Assert.Equal("2025-08-20T04:00:19.866337+00:00", await WatermarkAsync("arxiv-feed"));
    }

    [Fact]
    public async Task The_feed_skips_replacements_unless_configured()
    {
        // The recording has no replacement; one entry is relabelled as the feed labels them.
        var payload = RecordedPayloads.Edited(RecordedPayloads.ArxivFeed,
            "arXiv:2508.13167v1 Announce Type: new", "arXiv:2508.13167v2 Announce Type: replace");
        var text = System.Text.Encoding.UTF8.GetString(payload);
        var at = text.IndexOf("<arxiv:announce_type>new</arxiv:announce_type>", StringComparison.Ordinal);
        payload = System.Text.Encoding.UTF8.GetBytes(text[..at] + "<arxiv:announce_type>replace</arxiv:announce_type>" + text[(at + "<arxiv:announce_type>new</arxiv:announce_type>".Length)..]);
        Server.Handle = (context, _) => RecordedServer.Send(context, payload, "application/atom+xml");

        var skipped = await CollectAsync<ArxivFeedSource>();
        var afterSkipping = (await StoredAsync()).Select(p => p.Id).ToList();
        App.Get<Microsoft.Extensions.Options.IOptions<ArxivFeedSourceOptions>>().Value.IncludeReplacements = true;
        var taken = await CollectAsync<ArxivFeedSource>();

        Assert.Equal(85, skipped.Summary.New);
        Assert.Equal(1, taken.Summary.New);
        Assert.DoesNotContain("2508.13167", afterSkipping);
        Assert.Contains(await StoredAsync(), p => p.Id == "2508.13167");
    }
}
