using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Digest;

public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";

    /// <summary>How often the digest check runs. Each subscriber is served at the first check after their hour. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wait after start before the first digest check, so the collection that runs at every start has finished and
    /// a service coming back from downtime sends today's papers, not yesterday's. Default one minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstDigestCheckDelay { get; set; } = TimeSpan.FromMinutes(1);
}
