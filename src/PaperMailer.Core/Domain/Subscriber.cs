namespace PaperMailer.Domain;

public enum SubscriberStatus { Pending, Active, Paused, Unsubscribed, Bounced }

public enum DigestFrequency
{
    Daily,
    Weekly,
    /// <summary>
    /// No email: each day's papers are chosen as for a daily digest and recorded for the subscriber's Atom feed (and
    /// archive) only, for people who read papers in a feed reader.
    /// </summary>
    FeedOnly,
}

/// <summary>How frequencies are written on pages, in the CLI and in import files: "daily", "weekly", "feed-only".</summary>
public static class DigestFrequencies
{
    public static string Name(this DigestFrequency frequency) => frequency switch
    {
        DigestFrequency.Weekly => "weekly",
        DigestFrequency.FeedOnly => "feed-only",
        _ => "daily",
    };

    public static DigestFrequency? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "daily" => DigestFrequency.Daily,
        "weekly" => DigestFrequency.Weekly,
        "feed-only" => DigestFrequency.FeedOnly,
        _ => null,
    };
}

/// <summary>A person who receives digests, with the profile their papers are ranked against.</summary>
public sealed record Subscriber
{
    public long Id { get; init; }
    public required string Email { get; init; }
    public string? Name { get; init; }
    public SubscriberStatus Status { get; init; } = SubscriberStatus.Active;
    /// <summary>IANA time zone id such as "Europe/Berlin"; delivery hour and digest date are local to it.</summary>
    public string TimeZone { get; init; } = "UTC";
    /// <summary>Local hour (0–23) from which today's digest is due.</summary>
    public int DeliveryHour { get; init; } = 8;
    public DigestFrequency Frequency { get; init; } = DigestFrequency.Daily;
    /// <summary>The local day of the week a weekly digest goes out on; null: any day, a week after the previous one. Daily digests ignore it.</summary>
    public DayOfWeek? Weekday { get; init; }
    /// <summary>What they ask to read: topics, keywords, exclusions, Trending today.</summary>
    public SubscriberProfile Profile { get; init; } = SubscriberProfile.Empty;
    public int MaxPapers { get; init; } = 10;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StatusChangedAt { get; init; }
}
