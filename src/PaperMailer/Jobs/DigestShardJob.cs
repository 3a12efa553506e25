using Microsoft.Extensions.Options;
using PaperMailer.Digest;
using PaperMailer.Digest.Planning;
using PaperMailer.Render;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// One shard of a cluster's digest run (see <see cref="DigestCheckJob"/>): the run of the due subscribers whose id
/// hashes to this shard. Stored durably and asking for recovery, so when the node running it dies, another node runs
/// it again; that run finds in the ledger what was decided and sent already, takes over the dead node's claims once
/// their lease has run out (sending them with their original Message-ID) and serves the rest. The dead node's leases
/// may still be running when the recovery starts, so a recovered shard fires once more when they have run out: its
/// sends that were in flight are finished then, not at the next digest check.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestShardJob(DigestRun run, IOptions<DigestOptions> digest, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<DigestShardJob> logger) : IJob
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
        var recovered = context.Recovering ? " (taken over from a node that stopped)" : "";
        logger.LogDebug("Digest {Shard} started on this node{Recovered}", shard, recovered);
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var report = await run.RunAsync(new DigestRunRequest(DueOnly: true, Shard: shard), stopping.Token);
            if (report.Total > 0 || report.LeftToOthersCount > 0 || context.Recovering)
                logger.LogInformation("Digest {Shard}{Recovered}: {Summary}", shard, recovered, report.Summary());
            if (context.Recovering) await FireAgainAfterLeasesAsync(context.Scheduler, shard);
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

    private async Task FireAgainAfterLeasesAsync(IScheduler scheduler, DigestShard shard)
    {
        // A second past the lease, so a claim made just before the node died has run out. Scheduled also when this
        // node is stopping (the run then left work behind): the trigger is stored in the database for any node.
        var at = clock.GetUtcNow() + digest.Value.ClaimLease + TimeSpan.FromSeconds(1);
        try
        {
            await scheduler.ScheduleJob(TriggerBuilder.Create().ForJob(KeyFor(shard.Index)).UsingJobData(Data(shard)).StartAt(at).Build(), default, CancellationToken.None);
            logger.LogInformation("Digest {Shard} fires again at {At:HH:mm:ss} UTC, when the stopped node's claims have run out", shard, at);
        }
        catch (SchedulerException ex)
        {
            logger.LogWarning("Digest {Shard} could not be fired again ({Reason}); the next digest check serves what the stopped node left", shard, ex.Message);
        }
    }
}
