using PaperMailer.Domain;
using PaperMailer.IntegrationTests.DigestRun;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// PostgreSQL restarted under a node in the middle of a run: the node reconnects and finishes the run; every subscriber
/// gets exactly one digest, the ledger records each as sent, and what was sent twice is the same message, within the
/// documented window.
/// </summary>
[RunsForAbout(seconds: 90)]
public sealed class PostgresRestartTests
{
    private const int Subscribers = 3_000;

    [RestartablePostgresFact]
    public async Task A_node_reconnects_after_PostgreSQL_restarts_mid_run_and_loses_nothing()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        await using var cluster = await ClusterSite.StartAsync(postgres.ConnectionString);
        var site = cluster.Site;
        await site.CollectPapersAsync(3, withSamples: true);
        var emails = await site.ImportSubscribersAsync(Subscribers);
        // A slower server, so that the run is still going when PostgreSQL goes away.
        site.Server.Stall(TimeSpan.FromMilliseconds(20));
        await cluster.StartNodeAsync();

        await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= Subscribers / 6, TimeSpan.FromMinutes(4), "the run to be sending");
        await postgres.RestartAsync();
        var afterRestart = site.Server.Accepted().Count;
        Assert.True(afterRestart < Subscribers, "the run was over before PostgreSQL restarted: the test proves nothing");
        site.Server.NoStall();

        await site.Server.WaitUntilAsync(r => r.Where(m => m.Code == 250).Select(m => m.Recipients).Distinct().Count() == Subscribers, TimeSpan.FromMinutes(5),
            "every subscriber to have a digest after the restart");
        var ledger = await ClusterRunTests.WaitForLedgerAsync(cluster, l => l.Count(d => d.Status == DeliveryStatus.Sent) == Subscribers, "every digest recorded as sent");
        var accepted = await cluster.StopNodesAsync();

        DigestRunCrashTests.AssertEachOnceWithinWindow(emails, accepted, ledger, ClusterSite.NodeCrashWindow);
        Console.WriteLine($"PostgreSQL restart: {Subscribers:N0} subscribers, restarted after {afterRestart:N0} accepted; {accepted.Count - Subscribers} resent.");
    }
}

/// <summary>Needs a PostgreSQL server of the test's own (the binaries) and an SMTP server of its own; on CI it must run.</summary>
public sealed class RestartablePostgresFactAttribute : FactAttribute
{
    public RestartablePostgresFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(DedicatedPostgres.Available, DedicatedPostgres.MissingReason)
            ?? TestEnvironment.SkipUnless(RecordingSmtpServer.Available, RecordingSmtpServer.MissingReason);
    }
}
