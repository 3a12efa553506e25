using PaperMailer.Digest;
using PaperMailer.Render;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// The frequent digest check: sends to every active subscriber whose local delivery hour has passed today and who has
/// no digest for today yet, and retries deferred ones whose time has come. Firing twice sends nothing twice: the
/// ledger decides. A service that was down at someone's hour serves them at the first check after it is back.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestCheckJob(DigestRun run, ILogger<DigestCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("digest-check", "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var report = await run.RunAsync(new DigestRunRequest(DueOnly: true), cancellationToken);
            if (report.Lines.Count > 0)
            {
                logger.LogInformation("Digest check: {Sent} sent, {Deferred} deferred, {Failed} failed, {Nothing} with nothing to send",
                    report.Count(Domain.DeliveryStatus.Sent), report.Count(Domain.DeliveryStatus.Deferred),
                    report.Count(Domain.DeliveryStatus.Failed), report.Count(Domain.DeliveryStatus.NothingToSend));
            }
        }
        catch (TemplateException ex)
        {
            logger.LogError("Digest check sent nothing: {Reason}", ex.Message);
        }
    }
}
