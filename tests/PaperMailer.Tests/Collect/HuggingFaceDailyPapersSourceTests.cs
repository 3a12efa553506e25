using PaperMailer.Collect.Sources;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>Hugging Face Daily Papers against a local server replaying the recorded listing of 2026-06-12.</summary>
public sealed class HuggingFaceDailyPapersSourceTests : SourceTestBase
{
    private void ServeRecordedDay() => Server.Handle = (context, _) =>
        context.Request.Query["date"] == RecordedPayloads.HuggingFaceDay
            ? RecordedServer.Send(context, RecordedPayloads.HuggingFace, "application/json")
            : RecordedServer.Send(context, "[]"u8.ToArray(), "application/json");

    [Fact]
    public async Task A_normal_day_stores_every_listed_paper_with_its_hugging_face_fields_and_a_second_run_adds_nothing()
    {
        ServeRecordedDay();

        var first = await CollectAsync<HuggingFaceDailyPapersSource>();
        var second = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Null(first.Error);
        Assert.Equal((30, 0, 0), (first.Summary.New, first.Summary.Updated, first.Summary.Unchanged));
        Assert.Equal((0, 0, 30), (second.Summary.New, second.Summary.Updated, second.Summary.Unchanged));
        var stored = await StoredAsync();
        Assert.Equal(30, stored.Select(p => p.Id).Distinct().Count());
        var msa = Assert.Single(stored, p => p.Id == "2606.13392");
        Assert.Equal(103, msa.Upvotes);
        Assert.Equal(4, msa.Comments);
        Assert.Equal("https://github.com/MiniMax-AI/MSA", msa.GithubRepo);
        Assert.Equal(251, msa.GithubStars);
        Assert.Equal(new DateTimeOffset(2026, 6, 12, 0, 0, 0, TimeSpan.Zero), msa.SubmittedOnDailyAt);
        Assert.NotEmpty(msa.AiKeywords);
        Assert.NotNull(msa.AiSummary);
        Assert.Equal("huggingface", msa.Source);
        Assert.Equal(App.Clock.GetUtcNow(), msa.FirstSeenAt);
        Assert.Equal("2026-06-12", await WatermarkAsync("hf"));
        // No watermark yet: yesterday and today; then the watermark day (still growing) and today, which is the same.
        Assert.Equal(
            ["/api/daily_papers?date=2026-06-11&limit=100&p=0", "/api/daily_papers?date=2026-06-12&limit=100&p=0", "/api/daily_papers?date=2026-06-12&limit=100&p=0"],
            Server.Requests);
    }

    [Fact]
    public async Task An_empty_day_stores_nothing_fails_nothing_and_moves_the_watermark()
    {
        Server.Handle = (context, _) => RecordedServer.Send(context, "[]"u8.ToArray(), "application/json");

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Null(result.Error);
        Assert.Equal(0, result.Summary.Total);
        Assert.Empty(await StoredAsync());
        Assert.Equal("2026-06-12", await WatermarkAsync("hf"));
    }

    [Fact]
    public async Task A_listing_longer_than_a_page_is_read_page_by_page()
    {
        var items = System.Text.Json.JsonDocument.Parse(RecordedPayloads.HuggingFace).RootElement.EnumerateArray().Select(i => i.GetRawText()).ToList();
        Server.Handle = (context, _) =>
        {
            if (context.Request.Query["date"] != RecordedPayloads.HuggingFaceDay) return RecordedServer.Send(context, "[]"u8.ToArray(), "application/json");
            var limit = RecordedPayloads.Query(context, "limit", 50);
            var page = RecordedPayloads.Query(context, "p", 0);
            var slice = "[" + string.Join(",", items.Skip(page * limit).Take(limit)) + "]";
            return RecordedServer.Send(context, System.Text.Encoding.UTF8.GetBytes(slice), "application/json");
        };
        await App.Get<PaperMailer.Storage.ISourceWatermarks>().SetAsync("hf", "2026-06-12", App.Clock.GetUtcNow());
        var options = App.Get<Microsoft.Extensions.Options.IOptions<HuggingFaceSourceOptions>>().Value;
        options.PageSize = 12;

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Equal(30, result.Summary.New);
        Assert.Equal(30, (await StoredAsync()).Count);
        Assert.Equal(
            ["/api/daily_papers?date=2026-06-12&limit=12&p=0", "/api/daily_papers?date=2026-06-12&limit=12&p=1", "/api/daily_papers?date=2026-06-12&limit=12&p=2"],
            Server.Requests);
    }

    [Fact]
    public async Task After_downtime_every_missed_day_is_read_back_to_the_watermark_but_not_beyond_the_horizon()
    {
        ServeRecordedDay();
        await App.Get<PaperMailer.Storage.ISourceWatermarks>().SetAsync("hf", "2026-06-09", App.Clock.GetUtcNow());

        await CollectAsync<HuggingFaceDailyPapersSource>();
        var catchUp = Server.Requests.ToList();
        await App.Get<PaperMailer.Storage.ISourceWatermarks>().SetAsync("hf", "2026-05-01", App.Clock.GetUtcNow());
        Server.Requests.Clear();
        await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Equal(["2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"], catchUp.Select(DateOf));
        // The default horizon is 3 days.
        Assert.Equal(["2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"], Server.Requests.Select(DateOf));
        Assert.Equal(30, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task Since_starts_at_the_given_day()
    {
        ServeRecordedDay();

        await CollectAsync<HuggingFaceDailyPapersSource>(since: new DateOnly(2026, 6, 10));

        Assert.Equal(["2026-06-10", "2026-06-11", "2026-06-12"], Server.Requests.Select(DateOf));
    }

    private static string DateOf(string request) => request.Split("date=")[1][..10];
}
