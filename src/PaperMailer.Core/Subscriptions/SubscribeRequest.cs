using PaperMailer.Domain;

namespace PaperMailer.Subscriptions;

/// <summary>What a visitor (or an operator inviting someone) asks for, plus where the request came from.</summary>
public sealed record SubscribeRequest
{
    public required string Email { get; init; }
    public string? Name { get; init; }
    /// <summary>What they ask to read: topics, keywords, exclusions, Trending today.</summary>
    public SubscriberProfile Profile { get; init; } = SubscriberProfile.Empty;
    /// <summary>The day of a weekly digest; null: a week after the previous one.</summary>
    public DayOfWeek? Weekday { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public int DeliveryHour { get; init; } = 8;
    public DigestFrequency Frequency { get; init; } = DigestFrequency.Daily;
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
}
