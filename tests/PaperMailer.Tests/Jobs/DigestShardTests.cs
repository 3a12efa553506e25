using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Jobs;

/// <summary>
/// A cluster's digest run is split into shards by a fixed hash of the subscriber id: every node must put a subscriber
/// in the same shard, the shards must be about even, and the shards' runs together must serve everyone exactly once.
/// </summary>
public class DigestShardTests
{
    [Fact]
    public void A_subscriber_is_in_the_same_shard_in_every_process()
    {
        // Fixed values: a hash that changed between processes or releases (string.GetHashCode is randomised per
        // process) would put a subscriber in two shards on two nodes. These are SplitMix64 finaliser values, worked out apart from this code.
        Assert.Equal([5, 2, 0, 4, 4, 4, 4, 0], Enumerable.Range(1, 8).Select(id => DigestShard.Of(id, 8)));
        Assert.Equal(DigestShard.Of(123_456_789, 8), DigestShard.Of(123_456_789, 8));
        Assert.All(Enumerable.Range(1, 1000), id => Assert.Equal(0, DigestShard.Of(id, 1)));
    }

    [Fact]
    public void Consecutive_ids_spread_evenly_over_the_shards()
    {
        var sizes = Enumerable.Range(1, 20_000).GroupBy(id => DigestShard.Of(id, 8)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(8, sizes.Count);
        // 2,500 each on average; a fair hash stays within a few standard deviations (about 47).
        Assert.All(sizes.Values, size => Assert.InRange(size, 2_300, 2_700));
    }

    [Fact]
    public void Each_subscriber_is_in_exactly_one_shard()
    {
        var shards = Enumerable.Range(0, 5).Select(i => new DigestShard(i, 5)).ToList();

        Assert.All(Enumerable.Range(1, 2_000), id => Assert.Single(shards, s => s.Contains(id)));
    }

    [Fact]
    public async Task The_runs_of_all_shards_at_once_serve_each_due_subscriber_exactly_once_and_each_only_its_own()
    {
        using var app = new TestApp(new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero));
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), app.Clock.GetUtcNow().AddHours(-2));
        var subscribers = new List<Subscriber>();
        for (var i = 0; i < 40; i++) subscribers.Add(await app.AddSubscriberAsync($"reader{i}@d{i % 3}.example.org", topics: ["llm-agents"]));
        const int count = 4;

        var reports = await Task.WhenAll(Enumerable.Range(0, count).Select(index =>
            app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true, Shard: new DigestShard(index, count)), CancellationToken.None)));

        Assert.Equal(subscribers.Select(s => s.Email).Order(), app.Transport.Sent.Select(m => m.Recipient().Address).Order());
        for (var index = 0; index < count; index++)
        {
            var mine = subscribers.Where(s => DigestShard.Of(s.Id, count) == index).Select(s => s.Email).Order();
            Assert.Equal(mine, reports[index].Lines.Where(l => l.Status == DeliveryStatus.Sent).Select(l => l.Email).Order());
            Assert.Equal(0, reports[index].LeftToOthersCount);
        }
        var ledger = await app.Get<IDeliveryLedger>().ListAsync();
        Assert.Equal(subscribers.Count, ledger.Count(d => d.Status == DeliveryStatus.Sent));
    }

    [Fact]
    public async Task A_shard_run_reports_what_it_did_and_left_and_not_the_other_shards_claims()
    {
        using var app = new TestApp(new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero));
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), app.Clock.GetUtcNow().AddHours(-2));
        var subscribers = new List<Subscriber>();
        for (var i = 0; i < 12; i++) subscribers.Add(await app.AddSubscriberAsync($"reader{i}@example.org", topics: ["llm-agents"]));
        const int count = 2;
        // Another node is sending to a subscriber of shard 1 right now.
        var elsewhere = subscribers.First(s => DigestShard.Of(s.Id, count) == 1);
        await app.Get<IDeliveryLedger>().CreateAsync(LedgerRows.Draft(elsewhere, new DateOnly(2026, 11, 16), app.Clock.GetUtcNow(), "2606.10423"), claimant: "node-b");

        var shard0 = await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true, Shard: new DigestShard(0, count)), CancellationToken.None);

        Assert.True(shard0.Count(DeliveryStatus.Sent) > 0);
        Assert.DoesNotContain("another run", shard0.Summary(), StringComparison.Ordinal);
        var shard1 = await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true, Shard: new DigestShard(1, count)), CancellationToken.None);
        Assert.DoesNotContain(shard1.Lines, l => l.Email == elsewhere.Email);
    }
}
