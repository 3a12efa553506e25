using PaperMailer.Domain;
using PaperMailer.IntegrationTests.DigestRun;
using PaperMailer.Storage;
using PaperMailer.Storage.Postgres;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// A cluster of a test's own: a <see cref="DigestRunSite"/> (its folder, SMTP server, subscribers and papers) on a
/// PostgreSQL database of the test's own, and `papermailer run` nodes started against it with short check-in, lease
/// and check intervals, so that a dead node's work is taken over within seconds.
/// </summary>
public sealed class ClusterSite : IAsyncDisposable
{
    /// <summary>Digest:CommitGroupSize for the nodes: at most this many accepted messages unrecorded per shard run.</summary>
    public const int CommitGroupSize = 100;

    /// <summary>Cluster:MaxJobsPerNode for the nodes: at most this many shard runs at once on one node.</summary>
    public const int JobsPerNode = 3;

    /// <summary>
    /// The documented crash window of one killed node: each of its shard runs may have handed over CommitGroupSize
    /// messages whose outcome is not yet recorded.
    /// </summary>
    public const int NodeCrashWindow = CommitGroupSize * JobsPerNode;

    private readonly List<PaperMailerService> _nodes = [];

    private ClusterSite(DigestRunSite site, string connectionString)
    {
        Site = site;
        ConnectionString = connectionString;
    }

    public DigestRunSite Site { get; }
    public string ConnectionString { get; }

    /// <summary>The settings of every node, after the site's.</summary>
    public static IReadOnlyList<string> NodeSettings =>
    [
        "--Schedule:FirstDigestCheckDelay=00:00:05",
        "--Schedule:DigestCheckInterval=00:00:03",
        "--Cluster:CheckinInterval=00:00:02",
        "--Cluster:CheckinMisfireThreshold=00:00:05",
        "--Cluster:PollInterval=00:00:01",
        $"--Cluster:MaxJobsPerNode={JobsPerNode}",
        // Leases well above three times the SMTP time limit (the site's 20 s: on a busy machine a shorter limit times
        // out sends the server took), and deferred digests retried at once: the test is about losing nothing.
        "--Digest:ClaimLease=00:01:00",
        $"--Digest:CommitGroupSize={CommitGroupSize}",
        "--Delivery:RetryBaseDelay=00:00:01",
        // Which node runs which shard, in the node's log.
        "--Logging:LogLevel:PaperMailer.Jobs.DigestShardJob=Debug",
    ];

    public static async Task<ClusterSite> StartAsync(string connectionString) =>
        new(await DigestRunSite.StartAsync(store: TestStore.Existing(StorageProvider.Postgres, connectionString)), connectionString);

    /// <summary>Starts one more `papermailer run` node (it answers /healthz before this returns).</summary>
    public async Task<PaperMailerService> StartNodeAsync(IReadOnlyList<string>? more = null)
    {
        var node = await PaperMailerService.StartAsync(Site.Folder, [.. Site.Settings, .. NodeSettings, .. more ?? []]);
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    /// <summary>SIGKILL: the node ends at once, whatever it was doing.</summary>
    public async Task KillNodeAsync(PaperMailerService node)
    {
        lock (_nodes) _nodes.Remove(node);
        await node.DisposeAsync();
    }

    /// <summary>
    /// Stops every node with SIGTERM (each finishes and records its sends under way), then waits until the SMTP server
    /// has no client left: nothing more can arrive. Returns the messages it accepted.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMessage>> StopNodesAsync()
    {
        List<PaperMailerService> nodes;
        lock (_nodes) nodes = [.. _nodes];
        foreach (var node in nodes) Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromMinutes(1)));
        return (await Site.Server.WaitUntilIdleAsync(TimeSpan.FromSeconds(30))).Where(m => m.Code == 250).ToList();
    }

    public async Task<IReadOnlyList<DigestDelivery>> LedgerAsync()
    {
        await using var database = new PostgresDatabase(ConnectionString);
        return await new PostgresDeliveryLedger(database).ListAsync();
    }

    /// <summary>Shard runs a node has started and not finished, by its log.</summary>
    public static int ShardsRunning(PaperMailerService node)
    {
        var log = node.Output;
        return Count(log, " started on this node") - Count(log, " finished on this node");
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        _nodes.Clear();
        await Site.DisposeAsync();
    }
}
