using PaperMailer.Digest;
using PaperMailer.Render;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// The frequent digest check: sends to every active subscriber whose local delivery hour has passed today and who has
/// no digest for today yet, and retries deferred ones whose time has come. Firing twice sends nothing twice: the
/// ledger's claims decide. A service that was down at someone's hour serves them at the first check after it is back.
/// When the service stops, the run starts no new send and finishes and records those under way.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestCheckJob(DigestRun run, IHostApplicationLifetime lifetime, ILogger<DigestCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("digest-check", "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
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
}
