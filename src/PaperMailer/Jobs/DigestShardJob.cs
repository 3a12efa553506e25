using PaperMailer.Digest;
using PaperMailer.Digest.Planning;
using PaperMailer.Render;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// One shard of a cluster's digest run (see <see cref="DigestCheckJob"/>): the run of the due subscribers whose id
/// hashes to this shard. Stored durably and asking for recovery, so when the node running it dies, another node runs
/// it again; that run finds in the ledger what was decided and sent already, takes over the dead node's claims once
/// their lease has run out (sending them with their original Message-ID) and serves the rest.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestShardJob(DigestRun run, IHostApplicationLifetime lifetime, ILogger<DigestShardJob> logger) : IJob
{
    public const string IndexKey = "shard";
    public const string CountKey = "shards";

    public static JobKey KeyFor(int index) => new($"digest-shard-{index}", "papermailer");

    public static IJobDetail Detail(int index) =>
        JobBuilder.Create<DigestShardJob>().WithIdentity(KeyFor(index)).StoreDurably().RequestRecovery().Build();

    public static JobDataMap Data(DigestShard shard) => new() { [IndexKey] = shard.Index, [CountKey] = shard.Count };

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var shard = new DigestShard(data.GetInt(IndexKey), data.GetInt(CountKey));
        logger.LogDebug("Digest {Shard} started on this node{Recovered}", shard, context.Recovering ? " (taken over from a node that stopped)" : "");
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var report = await run.RunAsync(new DigestRunRequest(DueOnly: true, Shard: shard), stopping.Token);
            if (report.Total > 0 || report.LeftToOthersCount > 0 || context.Recovering)
                logger.LogInformation("Digest {Shard}{Recovered}: {Summary}", shard, context.Recovering ? " (taken over from a node that stopped)" : "", report.Summary());
        }
        catch (TemplateException ex)
        {
            logger.LogError("Digest {Shard} sent nothing: {Reason}", shard, ex.Message);
        }
        finally
        {
            logger.LogDebug("Digest {Shard} finished on this node", shard);
        }
    }
}
