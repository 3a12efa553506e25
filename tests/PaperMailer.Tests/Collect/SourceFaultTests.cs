using PaperMailer.Collect.Sources;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>
/// What goes wrong on the network: slow answers, server errors, rate limits, cut-off payloads, unreachable hosts.
/// Retry waits are recorded by the manual clock rather than slept.
/// </summary>
public sealed class SourceFaultTests : SourceTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Generous, so a busy test machine never turns a normal answer into a timeout; the slow test shortens it.
        ["Sources:HuggingFace:Timeout"] = "00:00:30",
        ["Sources:HuggingFace:MaxRetries"] = "2",
    };

    private Task ServeDay(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Request.Query["date"] == RecordedPayloads.HuggingFaceDay
            ? RecordedServer.Send(context, RecordedPayloads.HuggingFace, "application/json")
            : RecordedServer.Send(context, "[]"u8.ToArray(), "application/json");

    [Fact]
    public async Task A_response_slower_than_the_timeout_is_retried_then_fails_the_run_and_stores_nothing()
    {
        Server.Handle = async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
        App.Get<Microsoft.Extensions.Options.IOptions<HuggingFaceSourceOptions>>().Value.Timeout = TimeSpan.FromMilliseconds(300);

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Equal($"hf: {Server.BaseUrl}/api/daily_papers?date=2026-06-11&limit=100&p=0 did not answer within 00:00:00.3000000, tried 3 times; the source is skipped until its next run.", result.Error);
        Assert.Equal(3, Server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], App.Clock.Delays);
        Assert.Empty(await StoredAsync());
        Assert.Null(await WatermarkAsync("hf"));
    }

    [Fact]
    public async Task A_500_then_a_200_is_retried_after_the_backoff_and_stores_the_day()
    {
        Server.Handle = (context, n) =>
        {
            if (n == 1) { context.Response.StatusCode = 500; return Task.CompletedTask; }
            return ServeDay(context);
        };

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Null(result.Error);
        Assert.Equal(30, result.Summary.New);
        Assert.Equal([TimeSpan.FromSeconds(5)], App.Clock.Delays);
        Assert.Equal(3, Server.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_retried_after_exactly_the_servers_retry_after()
    {
        Server.Handle = (context, n) =>
        {
            if (n == 0) { context.Response.StatusCode = 429; context.Response.Headers.RetryAfter = "17"; return Task.CompletedTask; }
            return ServeDay(context);
        };

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Null(result.Error);
        Assert.Equal(30, result.Summary.New);
        Assert.Equal([TimeSpan.FromSeconds(17)], App.Clock.Delays);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_limit_fails_the_run_without_waiting()
    {
        Server.Handle = (context, _) => { context.Response.StatusCode = 429; context.Response.Headers.RetryAfter = "3600"; return Task.CompletedTask; };

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Equal($"hf: {Server.BaseUrl}/api/daily_papers?date=2026-06-11&limit=100&p=0 answered 429 Too Many Requests and asked to wait 01:00:00, longer than MaxRetryDelay (00:05:00); the source is skipped until its next run.", result.Error);
        Assert.Empty(App.Clock.Delays);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task A_404_is_not_retried()
    {
        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.Equal($"hf: {Server.BaseUrl}/api/daily_papers?date=2026-06-11&limit=100&p=0 answered 404 Not Found, which is not worth retrying.", result.Error);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Truncated_json_names_source_url_and_position_and_leaves_the_store_as_it_was()
    {
        Server.Handle = (context, _) => ServeDay(context);
        await CollectAsync<HuggingFaceDailyPapersSource>();
        var before = System.Text.Json.JsonSerializer.Serialize(await StoredAsync());
        var watermark = await WatermarkAsync("hf");
        App.Clock.Advance(TimeSpan.FromDays(1));
        Server.Handle = (context, _) => RecordedServer.Send(context, RecordedPayloads.Truncated(RecordedPayloads.HuggingFace), "application/json");

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.StartsWith($"hf: {Server.BaseUrl}/api/daily_papers?date=2026-06-12&limit=100&p=0: not valid JSON at line 1, byte {RecordedPayloads.HuggingFace.Length / 2 + 1} of that line:", result.Error);
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(await StoredAsync()));
        Assert.Equal(watermark, await WatermarkAsync("hf"));
    }

    [Fact]
    public async Task An_unreachable_host_is_reported_once_without_retries()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        App.Get<Microsoft.Extensions.Options.IOptions<HuggingFaceSourceOptions>>().Value.BaseUrl = $"http://127.0.0.1:{port}";

        var result = await CollectAsync<HuggingFaceDailyPapersSource>();

        Assert.StartsWith($"hf: cannot reach http://127.0.0.1:{port}/api/daily_papers?date=2026-06-11&limit=100&p=0 (", result.Error);
        Assert.Empty(App.Clock.Delays);
    }
}
