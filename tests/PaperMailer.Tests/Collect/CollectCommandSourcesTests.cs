using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli;
using PaperMailer.Cli.Commands;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>`papermailer collect` and the scheduled service with every source pointed at a local recorded server.</summary>
public sealed class CollectCommandSourcesTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    private RecordedServer _server = null!;
    private bool _feedBroken = true;

    public CollectCommandSourcesTests() => _store = TestStore.Create(_folder.Path);

    public async Task InitializeAsync()
    {
        _server = await RecordedServer.StartAsync();
        _server.Handle = (context, _) =>
        {
            if (context.Request.Path.StartsWithSegments("/api/daily_papers"))
                return RecordedServer.Send(context, RecordedPayloads.HuggingFace, "application/json");
            if (context.Request.Path.StartsWithSegments("/api/query"))
                return RecordedServer.Send(context, RecordedPayloads.ArxivApiPage(RecordedPayloads.Query(context, "start", 0), RecordedPayloads.Query(context, "max_results", 10)), "application/atom+xml");
            return RecordedServer.Send(context, _feedBroken ? RecordedPayloads.Truncated(RecordedPayloads.ArxivFeed) : RecordedPayloads.ArxivFeed, "application/atom+xml");
        };
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    private Dictionary<string, string?> Settings => new(_store.Settings)
    {
        ["Delivery:OutboxDirectory"] = _folder.File("outbox"),
        ["Web:SigningKeyFile"] = _folder.File("signing.key"),
        ["Sources:HuggingFace:BaseUrl"] = _server.BaseUrl,
        ["Sources:Arxiv:BaseUrl"] = _server.BaseUrl,
        ["Sources:ArxivFeed:BaseUrl"] = _server.BaseUrl,
        ["Sources:Arxiv:RequestInterval"] = "00:00:00",
        // The recordings are from 2025 and 2026 and this test runs on the real clock: a ten-year horizon keeps them in reach.
        ["Sources:Arxiv:Horizon"] = "3650.00:00:00",
        ["Sources:HuggingFace:Horizon"] = "01:00:00",
        ["Sources:ArxivFeed:MaxRetries"] = "0",
    };

    private async Task<(int Exit, string Out)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. Settings.Select(s => $"--{s.Key}={s.Value}")], output, new StringWriter());
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Collect_all_finishes_the_other_sources_when_one_fails_exits_non_zero_and_a_second_run_adds_nothing()
    {
        var first = await RunAsync("collect", "--source", "all");
        _feedBroken = false;
        var second = await RunAsync("collect");
        var list = JsonDocument.Parse((await RunAsync("papers", "list", "--json")).Out).RootElement;

        Assert.Equal(1, first.Exit);
        Assert.Contains("hf: 30 new, 0 updated, 0 unchanged", first.Out);
        Assert.Contains("arxiv: 5 new, 0 updated, 0 unchanged", first.Out);
        Assert.Matches(@"arxiv-feed: failed: arxiv-feed: http://127\.0\.0\.1:\d+/atom/cs\.AI\+cs\.CL\+cs\.LG: not well-formed XML at line \d+, column \d+", first.Out);
        Assert.Contains("3 source(s): 35 new, 0 updated, 0 unchanged, 1 failed.", first.Out);
        Assert.Equal(0, second.Exit);
        Assert.Contains("hf: 0 new, 0 updated, 30 unchanged", second.Out);
        Assert.Contains("arxiv: 0 new, 0 updated, 0 unchanged", second.Out);
        Assert.Contains("arxiv-feed: 86 new, 0 updated, 0 unchanged", second.Out);
        Assert.Equal(121, list.GetArrayLength());
        Assert.Equal(121, list.EnumerateArray().Select(p => p.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_bad_since_date_is_a_usage_error()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(["collect", "--source", "hf", "--since", "12/06/2026", .. Settings.Select(s => $"--{s.Key}={s.Value}")], output, error);

        Assert.Equal(2, exit);
        Assert.Equal("--since \"12/06/2026\" is not a date; give it as yyyy-MM-dd, for example 2026-06-12.", error.ToString().Trim());
    }

    [Fact]
    public async Task The_scheduled_service_keeps_collecting_after_a_failed_run()
    {
        var requests = 0;
        _server.Handle = (context, _) => Interlocked.Increment(ref requests) <= 2
            ? RecordedServer.Send(context, RecordedPayloads.Truncated(RecordedPayloads.HuggingFace), "application/json")
            : RecordedServer.Send(context, RecordedPayloads.HuggingFace, "application/json");
        var settings = Settings;
        settings["Sources:Arxiv:Enabled"] = "false";
        settings["Sources:ArxivFeed:Enabled"] = "false";
        settings["Sources:HuggingFace:Cron"] = "* * * * * ?";
        settings["Sources:HuggingFace:MaxRetries"] = "0";
        settings["Templates:Directory"] = TestRepository.PathOf("templates");
        settings["Topics:File"] = TestRepository.PathOf("config", "topics.json");
        settings["Urls"] = "http://127.0.0.1:0";
        settings["Schedule:FirstDigestCheckDelay"] = "01:00:00";
        settings[LexicalRankingByDefault.Setting.Key] = LexicalRankingByDefault.Setting.Value;
        var app = RunCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IPaperStore>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await store.ListAsync()).Count < 30)
            {
                Assert.True(DateTime.UtcNow < deadline, "the service did not collect within 60 seconds");
                await Task.Delay(100);
            }
            Assert.True(requests >= 3);
            Assert.Equal(30, (await store.ListAsync()).Count);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
