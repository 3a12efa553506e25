using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Status;

/// <summary>When /healthz, `papermailer status` and the status page call the service Degraded.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// Scheduled runs (times its Cron names) an enabled source may pass without a successful collection before it is
    /// overdue: for Hugging Face, hourly, 2 means two hours; for the arXiv API, 2 means two announcement days. Default 2.
    /// </summary>
    [Range(1, 1000)]
    public int SourceMissedRuns { get; set; } = 2;

    /// <summary>
    /// The share of the latest digest run's attempts that may fail (permanently) before the service is Degraded,
    /// 0 to 1. Default 0.1 (10%).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MaxFailedShare { get; set; } = 0.1;
}
