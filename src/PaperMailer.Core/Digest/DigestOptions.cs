using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Digest;

public sealed class DigestOptions
{
    public const string SectionName = "Digest";

    /// <summary>A new daily subscriber's first digest offers the papers first collected within this span. Default one day.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The same for a new weekly subscriber. Default seven days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan WeeklyLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Papers first collected within this span feed ranking's word statistics (how rare a term is), even when they are
    /// too old to be sent. Without it a quiet day with three new papers would make every word look common and no
    /// paper would pass the relevance threshold. It also bounds how far back a digest reaches after a long pause.
    /// Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan StatisticsWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// No two digests for one subscriber within this span, whatever happens to their time zone or delivery hour.
    /// Default 20 hours (a day less four hours' leeway, so a later check or a changed hour never skips a day).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MinimumGap { get; set; } = TimeSpan.FromHours(20);

    /// <summary>The same for weekly subscribers. Default six days and 20 hours (a week less the same leeway).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "31.00:00:00")]
    public TimeSpan WeeklyMinimumGap { get; set; } = TimeSpan.FromDays(6) + TimeSpan.FromHours(20);

    /// <summary>
    /// How long a run holds a digest it claimed before another run may take it over (a claimant that died). Renewed
    /// before a send that waited long; keep it well above three times Smtp:Timeout. Default ten minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// At most this many digests can be accepted by the server and not yet recorded: a process killed with SIGKILL
    /// resends at most that many, each as the same message. Outcomes are recorded in groups of half of it (one
    /// transaction, and for the outbox one flush to the disk), one group recorded while the other fills. Default 200.
    /// </summary>
    [Range(1, 100_000)]
    public int CommitGroupSize { get; set; } = 200;

    /// <summary>The longest an outcome waits for its group to fill before the group is recorded anyway. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How many papers the "Trending today" section carries: the digest window's Hugging Face papers with the most
    /// upvotes (then comments, then the newest). Default 10.
    /// </summary>
    [Range(1, 50)]
    public int TrendingPapers { get; set; } = 10;

    /// <summary>How often a running digest run logs its progress. Default five seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
