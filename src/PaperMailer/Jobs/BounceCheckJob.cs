using PaperMailer.Bounces;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// Reads the bounce mailbox every Bounces:CheckInterval (only when Bounces:Host is set). Thin: the mailbox pass does
/// the work. Firing twice acts on no report twice: each is recorded by its Message-ID and marked in the mailbox.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BounceCheckJob(BounceMailbox mailbox, ILogger<BounceCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("bounce-check", "papermailer");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var pass = await mailbox.ReadAsync(cancellationToken);
            if (pass.Outcomes.Count > 0 || pass.NotReports.Count > 0) logger.LogInformation("Bounce check: {Summary}", pass.Summary());
            foreach (var line in pass.NotReports) logger.LogWarning("Left alone in the bounce mailbox (not a delivery or feedback report): {Message}", line);
        }
        catch (BounceMailboxException ex)
        {
            // Reported and tried again at the next firing; the job never fails the scheduler.
            logger.LogError("Bounce check: {Reason}", ex.Message);
        }
    }
}
