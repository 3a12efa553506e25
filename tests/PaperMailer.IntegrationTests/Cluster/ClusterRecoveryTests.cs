using PaperMailer.Domain;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// A shard whose node died is finished by Quartz's recovery alone: the digest check fires once (its next firing is an
/// hour away), so nothing but the recovery firing and the follow-up it schedules when the dead node's leases have run
/// out can serve the killed node's subscribers. Real processes: two `papermailer run` nodes, one PostgreSQL database,
/// one recording SMTP server.
/// </summary>
[RunsForAbout(seconds: 60)]
public sealed class ClusterRecoveryTests
{
    private const int Subscribers = 4_000;

    [ClusterFact]
    public async Task The_shards_of_a_killed_node_are_finished_by_recovery_without_another_digest_check()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var cluster = await ClusterSite.StartAsync(database.ConnectionString);
        var site = cluster.Site;
        await site.CollectPapersAsync(3, withSamples: true);
        var emails = await site.ImportSubscribersAsync(Subscribers);
        // One digest check for the whole test; a short lease, so the follow-up firing comes soon. The survivor's own
        // claims are safe with it: each shard's subscribers are its own, and a claim waiting long is renewed first.
        string[] once = ["--Schedule:DigestCheckInterval=01:00:00", "--Digest:ClaimLease=00:00:10"];
        var nodes = (await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => cluster.StartNodeAsync(once)))).ToList();

        await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= Subscribers / 5, TimeSpan.FromMinutes(3), "a fifth of the run to be sent");
        var victim = nodes.FirstOrDefault(n => ClusterSite.ShardsRunning(n) > 0);
        Assert.True(victim is not null, "no node was running a shard when a fifth had been sent: the kill would prove nothing\n" + nodes[0].Output);
        await cluster.KillNodeAsync(victim);
        var survivor = nodes.Single(n => n != victim);

        IReadOnlyList<DigestDelivery> ledger;
        try
        {
            ledger = await ClusterRunTests.WaitForLedgerAsync(cluster, l => l.Count(d => d.Status == DeliveryStatus.Sent) == Subscribers, "every digest recorded as sent");
        }
        catch (Exception e)
        {
            // The survivor's shard lines say whether the recovery and its follow-up ran.
            var shardLines = survivor.Output.Split('\n').Where(l => l.Contains("Digest shard", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal));
            throw new Xunit.Sdk.XunitException($"{e.Message}\nThe surviving node's shard lines:\n{string.Join('\n', shardLines)}");
        }
        var accepted = await cluster.StopNodesAsync();
        var log = survivor.Output;

        Assert.Contains("(taken over from a node that stopped)", log);
        Assert.Contains("when the stopped node's claims have run out", log);
        DigestRun.DigestRunCrashTests.AssertEachOnceWithinWindow(emails, accepted, ledger, ClusterSite.NodeCrashWindow);
    }
}
