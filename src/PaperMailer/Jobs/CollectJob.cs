using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// Scheduled collection from one source: the files in Collect:Files, or one network source named in the job data.
/// Thin: the collector does the work and the reporting. Each source has its own job, so a slow arXiv run never holds
/// back Hugging Face, and no source runs twice at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CollectJob(PaperCollector collector, PaperSourceSet sources, IOptions<CollectOptions> options, ILogger<CollectJob> logger) : IJob
{
    public const string SourceKey = "source";
    public const string FilesSource = "files";

    public static readonly JobKey Key = new("collect", "papermailer");

    public static JobKey KeyFor(string source) => source == FilesSource ? Key : new JobKey("collect-" + source, "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SourceKey) ?? FilesSource;
        try
        {
            if (source == FilesSource)
            {
                var files = options.Value.Files;
                var present = files.Where(File.Exists).ToList();
                foreach (var missing in files.Except(present)) logger.LogWarning("Collect:Files names {File}, which does not exist; skipped", missing);
                await collector.CollectAsync(present.Select(f => new PaperFileSource(f)), cancellationToken);
            }
            else if (sources.Find(source) is { } network)
            {
                await collector.CollectOneAsync(network, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed run is reported and retried at the next firing; the job itself never fails the scheduler.
            logger.LogError(ex, "Collecting from {Source} failed unexpectedly", source);
        }
    }
}
