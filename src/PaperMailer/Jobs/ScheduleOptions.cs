namespace PaperMailer.Jobs;

public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";

    /// <summary>How often the digest check runs. Each subscriber is served at the first check after their hour. Default 5 minutes.</summary>
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
