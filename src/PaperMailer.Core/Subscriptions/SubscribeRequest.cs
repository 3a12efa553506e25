using PaperMailer.Domain;

namespace PaperMailer.Subscriptions;

/// <summary>What a visitor (or an operator inviting someone) asks for, plus where the request came from.</summary>
public sealed record SubscribeRequest
{
    public required string Email { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    /// <summary>"Trending today": Hugging Face's most upvoted new papers, alone or after the personal ones.</summary>
    public bool Trending { get; init; }
    /// <summary>The day of a weekly digest; null: a week after the previous one.</summary>
    public DayOfWeek? Weekday { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public int DeliveryHour { get; init; } = 8;
    public DigestFrequency Frequency { get; init; } = DigestFrequency.Daily;
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
}
