using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Digest;

public sealed class DigestOptions
{
    public const string SectionName = "Digest";

    /// <summary>A daily digest's candidates are papers first collected within this span before it. Default one day.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The same for weekly subscribers. Default seven days.</summary>
    public TimeSpan WeeklyLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Papers first collected within this span feed ranking's word statistics (how rare a term is), even when they are
    /// too old to be sent. Without it a quiet day with three new papers would make every word look common and no
    /// paper would pass the relevance threshold. Default 30 days.
    /// </summary>
    public TimeSpan StatisticsWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// An attempt still marked as sending after this long was cut off by a crash and is resent (as the same message).
    /// Keep it above the SMTP timeout. Default ten minutes.
    /// </summary>
    public TimeSpan StaleSendingAfter { get; set; } = TimeSpan.FromMinutes(10);
}
