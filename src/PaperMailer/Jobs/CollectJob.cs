using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>Scheduled collection from the configured sources. Thin: the collector does the work and the reporting.</summary>
[DisallowConcurrentExecution]
public sealed class CollectJob(PaperCollector collector, IOptions<CollectOptions> options, ILogger<CollectJob> logger) : IJob
{
    public static readonly JobKey Key = new("collect", "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var files = options.Value.Files;
        var present = files.Where(File.Exists).ToList();
        foreach (var missing in files.Except(present)) logger.LogWarning("Collect:Files names {File}, which does not exist; skipped", missing);
        // A failed source is reported and retried at the next firing; the job itself never fails the scheduler.
        await collector.CollectAsync(present.Select(f => new PaperFileSource(f)), cancellationToken);
    }
}
