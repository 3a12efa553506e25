using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Digest.Delivering;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Jobs;

/// <summary>
/// A node's place in the cluster: at start it joins only if its templates, signing key and DKIM key match every live node's
/// (<see cref="JoinAsync"/>, called before the service starts), then records every check-in interval that it is alive
/// and leaves when it stops. A node whose templates or key differ would send digests that differ by node, or links
/// that other nodes cannot check, or mail signed with a key DNS does not publish; it refuses to start and says which differs.
/// </summary>
public sealed partial class ClusterMembership(IClusterNodes nodes, TemplateLibrary templates, IOptions<WebOptions> web, DkimMessageSigner dkim, IOptions<ClusterOptions> cluster,
    TimeProvider clock, ILogger<ClusterMembership> logger) : BackgroundService
{
    /// <summary>host:pid:random, the form of a digest run's claimant id, so the logs and the ledger name nodes alike.</summary>
    private readonly string _nodeId = new DigestClaimant(TimeSpan.Zero).Id;
    private bool _joined;

    /// <summary>A node is live while it was seen within its check-in interval plus the misfire threshold, as for Quartz.</summary>
    private TimeSpan LiveWithin => cluster.Value.CheckinInterval + cluster.Value.CheckinMisfireThreshold;

    /// <exception cref="CannotStartException">A live node has other templates, another signing key or another DKIM key.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        var me = new ClusterNode(_nodeId, NodeFingerprint.OfTemplates(templates.Directory), NodeFingerprint.OfSigningKey(SigningKeyStore.Load(web.Value)),
            NodeFingerprint.OfDkim(dkim.SigningIdentity));
        if (await nodes.JoinAsync(me, LiveWithin, cancellationToken) is { } other)
            throw new CannotStartException(Refusal(me, other, web.Value));
        _joined = true;
        LogJoined(logger, _nodeId);
    }

    /// <summary>The sentence that refuses a node: what differs from node <paramref name="other"/>, and what to do.</summary>
    public static string Refusal(ClusterNode me, ClusterNode other, WebOptions web)
    {
        var keySource = string.IsNullOrWhiteSpace(web.SigningKey) ? $"the file {web.SigningKeyFile} (Web:SigningKeyFile)" : "Web:SigningKey";
        var differences = new List<(string What, bool Plural, string Fix)>();
        if (me.TemplatesHash != other.TemplatesHash)
            differences.Add(("its templates (Templates:Directory)", true, "copy the running nodes' templates folder to this node (or stop every node to change the templates, then start them with the new ones)"));
        if (me.SigningKeyHash != other.SigningKeyHash)
            differences.Add(("its signing key", false, $"give this node the running nodes' key in {keySource}"));
        if (me.DkimHash != other.DkimHash)
            differences.Add(("its DKIM key (Dkim:Domain, Dkim:Selector, Dkim:PrivateKeyFile)", false, "give this node the running nodes' Dkim settings and key file"));
        var verb = differences is [{ Plural: false }] ? "differs" : "differ";
        return $"This node cannot join the cluster: {Together(differences.Select(d => d.What))} {verb} from the running node {other.NodeId}'s; {Together(differences.Select(d => d.Fix))}.";
    }

    private static string Together(IEnumerable<string> parts) => parts.ToList() switch
    {
        [var only] => only,
        [.. var first, var last] => $"{string.Join(", ", first)} and {last}",
        [] => "nothing",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_joined) return;
        using var timer = new PeriodicTimer(cluster.Value.CheckinInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await nodes.SeenAsync(_nodeId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database restarting, say: the next tick tries again.
                    LogSeenFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_joined) return;
        try
        {
            await nodes.LeaveAsync(_nodeId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counted as gone once its last check-in is old enough.
            LogSeenFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster as node {NodeId}")]
    private static partial void LogJoined(ILogger logger, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record this node as alive in the database ({Reason}); trying again at the next check-in")]
    private static partial void LogSeenFailed(ILogger logger, string reason);
}
