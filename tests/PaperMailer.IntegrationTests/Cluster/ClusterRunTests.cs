using PaperMailer.Domain;
using PaperMailer.IntegrationTests.DigestRun;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// Three `papermailer run` nodes on one PostgreSQL database share one digest run (its shards are Quartz jobs) and one
/// SMTP server that records every Message-ID. One node is killed with SIGKILL mid-run: its shards are taken over by
/// the others (Quartz recovery), its claims once their lease has run out (the same Message-ID), and every subscriber
/// still gets exactly one digest; the messages sent twice are counted and stay within the documented window.
/// </summary>
[RunsForAbout(seconds: 180)]
public sealed class ClusterRunTests
{
    private const int Subscribers = 20_000;

    [ClusterFact]
    public async Task Three_nodes_share_a_run_and_a_node_killed_mid_run_loses_nothing_and_doubles_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var cluster = await ClusterSite.StartAsync(database.ConnectionString);
        var site = cluster.Site;
        await site.CollectPapersAsync(3, withSamples: true);
        var emails = await site.ImportSubscribersAsync(Subscribers);

        // Started together; the first digest check comes once all are up.
        var nodes = (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cluster.StartNodeAsync()))).ToList();
        var started = DateTime.UtcNow;

        // Mid-run: a good part sent, and a node in the middle of a shard.
        await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= Subscribers / 4, TimeSpan.FromMinutes(5), "a quarter of the run to be sent");
        var victim = nodes.FirstOrDefault(n => ClusterSite.ShardsRunning(n) > 0);
        Assert.True(victim is not null, "no node was running a shard when a quarter had been sent: the kill would prove nothing\n" + nodes[0].Output);
        var killedAt = site.Server.Accepted().Count;
        await cluster.KillNodeAsync(victim);
        nodes.Remove(victim);

        IReadOnlyList<DigestDelivery> ledger;
        try
        {
            await site.Server.WaitUntilAsync(r => r.Where(m => m.Code == 250).Select(m => m.Recipients).Distinct().Count() == Subscribers, TimeSpan.FromMinutes(8),
                "every subscriber to have a digest");
            ledger = await WaitForLedgerAsync(cluster, l => l.Count(d => d.Status == DeliveryStatus.Sent) == Subscribers, "every digest recorded as sent");
        }
        catch
        {
            foreach (var node in nodes) Console.WriteLine(node.Output);
            throw;
        }
        var wall = DateTime.UtcNow - started;
        var logs = nodes.Select(n => n.Output).ToList();
        var accepted = await cluster.StopNodesAsync();

        DigestRunCrashTests.AssertEachOnceWithinWindow(emails, accepted, ledger, ClusterSite.NodeCrashWindow);
        Assert.DoesNotContain(ledger, d => d.Status != DeliveryStatus.Sent);
        // Whether a surviving node ran the killed node's firing as a Quartz recovery, or the shard's next regular firing
        // (every check schedules every shard) got there first, is the scheduler's business: either serves the shard.
        var recovered = logs.Any(log => log.Contains("taken over from a node that stopped", StringComparison.Ordinal));
        var resends = accepted.Count - Subscribers;
        Console.WriteLine($"Cluster run: {Subscribers:N0} subscribers, 3 nodes, one killed after {killedAt:N0} accepted; {resends} resent with their original Message-ID " +
            $"(window {ClusterSite.NodeCrashWindow}); {wall.TotalSeconds:0} s from the nodes' start to the last record; a recovery firing {(recovered ? "ran" : "was not seen")}.");
    }

    /// <summary>
    /// Waits until the ledger meets <paramref name="condition"/>. Gives up when it has not changed for two minutes (a
    /// stuck run), not after a fixed time: on a machine loaded by other work a run that moves may take much longer.
    /// </summary>
    internal static async Task<IReadOnlyList<DigestDelivery>> WaitForLedgerAsync(ClusterSite cluster, Func<IReadOnlyList<DigestDelivery>, bool> condition, string what)
    {
        var stuckSince = DateTime.UtcNow;
        var last = "";
        while (true)
        {
            var ledger = await cluster.LedgerAsync();
            if (condition(ledger)) return ledger;
            var counts = string.Join(", ", ledger.GroupBy(d => d.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
            if (counts != last) (last, stuckSince) = (counts, DateTime.UtcNow);
            Assert.True(DateTime.UtcNow - stuckSince < TimeSpan.FromMinutes(2), $"Timed out waiting for {what}: the ledger has not changed for two minutes: {counts}");
            await Task.Delay(500);
        }
    }
}
