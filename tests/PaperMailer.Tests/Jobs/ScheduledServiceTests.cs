using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli.Commands;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Jobs;

/// <summary>
/// `papermailer run` as a whole: Quartz with its job store (on the test's store) collects at start and sends digests to due
/// subscribers on its own; a restart sends nothing twice. Waits are bounded polls for an observable result.
/// </summary>
[Collection(nameof(ScheduledServiceCollection))]
public sealed class ScheduledServiceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public ScheduledServiceTests() => _store = TestStore.Create(_folder.Path);

    private IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(_store.Settings).AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Templates:Directory"] = TestRepository.PathOf("templates"),
        ["Topics:File"] = TestRepository.PathOf("config", "topics.json"),
        ["Delivery:OutboxDirectory"] = _folder.File("outbox"),
        ["Web:SigningKeyFile"] = _folder.File("signing.key"),
        ["Collect:Files:0"] = SamplePapers.FilePath,
        ["Schedule:DigestCheckInterval"] = "00:00:01",
        ["Schedule:FirstDigestCheckDelay"] = "00:00:02",
        ["Urls"] = "http://127.0.0.1:0",
        [LexicalRankingByDefault.Setting.Key] = LexicalRankingByDefault.Setting.Value,
    }).AddInMemoryCollection(OfflineSources.Settings).Build();

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_service_collects_at_start_serves_due_subscribers_and_never_twice_across_a_restart()
    {
        var first = RunCommand.Build(Configuration());
        var subscribers = first.Services.GetRequiredService<ISubscriberStore>();
        await first.StartAsync();
        // The collection at start comes first; only then is Ann there to be served. (Added before it, she could meet a
        // digest check that ran before the papers were in — on a busy machine the 2 s delay can pass first — and be
        // decided "nothing to send" for today, rightly, which would leave this test nothing to wait for.)
        var papers = first.Services.GetRequiredService<IPaperStore>();
        await WaitUntilAsync(async () => (await papers.ListAsync()).Count == 30);
        var ann = await subscribers.AddAsync(new Subscriber { Email = "ann@example.org", Profile = new SubscriberProfile { Topics = ["llm-agents"] }, DeliveryHour = 0, CreatedAt = DateTimeOffset.UtcNow });
        var ledger = first.Services.GetRequiredService<IDeliveryLedger>();
        await WaitUntilAsync(async () => (await ledger.ListAsync()).Any(d => d.SubscriberId == ann.Id && d.Status == DeliveryStatus.Sent));
        await first.StopAsync();
        await first.DisposeAsync();

        var second = RunCommand.Build(Configuration());
        var bob = await second.Services.GetRequiredService<ISubscriberStore>().AddAsync(new Subscriber { Email = "bob@example.org", Profile = new SubscriberProfile { Topics = ["image-generation"] }, DeliveryHour = 0, CreatedAt = DateTimeOffset.UtcNow });
        await second.StartAsync();
        ledger = second.Services.GetRequiredService<IDeliveryLedger>();
        await WaitUntilAsync(async () => (await ledger.ListAsync()).Any(d => d.SubscriberId == bob.Id && d.Status == DeliveryStatus.Sent));
        var papersStored = (await second.Services.GetRequiredService<IPaperStore>().ListAsync()).Count;
        await second.StopAsync();
        await second.DisposeAsync();

        var rows = await _store.Get<IDeliveryLedger>().ListAsync();
        Assert.Equal(["ann@example.org", "bob@example.org"], rows.Select(r => r.Email));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(2, Directory.GetFiles(_folder.File("outbox"), "*.eml").Length);
        Assert.Equal(30, papersStored);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduled service did not get there within 60 seconds");
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// Run alone: Quartz keeps its schedulers in one repository per process, by name, so a second service started in this
/// process at the same time (the site tests start theirs) can be handed the scheduler of the first, whose jobs then
/// work on the other service's database — and this test waits in vain for its own digests.
/// </summary>
[CollectionDefinition(nameof(ScheduledServiceCollection), DisableParallelization = true)]
public sealed class ScheduledServiceCollection;
