using Microsoft.Extensions.Options;
using PaperMailer.Digest;
using PaperMailer.Digest.Planning;
using PaperMailer.Render;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// The frequent digest check: sends to every active subscriber whose local delivery hour has passed today and who has
/// no digest for today yet, and retries deferred ones whose time has come. Firing twice sends nothing twice: the
/// ledger's claims decide. A service that was down at someone's hour serves them at the first check after it is back.
/// When the service stops, the run starts no new send and finishes and records those under way.
/// On a cluster the check fires once per interval for the whole cluster and runs nothing itself: it hands the run to
/// <see cref="ClusterOptions.DigestShards"/> shard jobs (<see cref="DigestShardJob"/>), which the nodes run in parallel.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestCheckJob(DigestRun run, ScheduleMode mode, IOptions<ClusterOptions> cluster, IHostApplicationLifetime lifetime, ILogger<DigestCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("digest-check", "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (mode.Clustered)
        {
            await ScheduleShardsAsync(context.Scheduler, cancellationToken);
            return;
        }
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var report = await run.RunAsync(new DigestRunRequest(DueOnly: true), stopping.Token);
            if (report.Total > 0 || report.LeftToOthersCount > 0) logger.LogInformation("Digest check: {Summary}", report.Summary());
        }
        catch (TemplateException ex)
        {
            logger.LogError("Digest check sent nothing: {Reason}", ex.Message);
        }
    }

    private async Task ScheduleShardsAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var count = cluster.Value.DigestShards;
        for (var index = 0; index < count; index++)
        {
            // The shard count travels with the firing, so a changed Cluster:DigestShards needs no other step. A shard
            // still running from the previous check keeps its place: the new firing waits for it (DisallowConcurrentExecution).
            if (await scheduler.GetJobDetail(DigestShardJob.KeyFor(index), cancellationToken) is null)
                await scheduler.AddJob(DigestShardJob.Detail(index), AddJobOptions.Replacing, cancellationToken);
            await scheduler.TriggerJob(DigestShardJob.KeyFor(index), DigestShardJob.Data(new DigestShard(index, count)), cancellationToken);
        }
        logger.LogDebug("Digest check: {Count} shards scheduled for the cluster's nodes", count);
    }
}
