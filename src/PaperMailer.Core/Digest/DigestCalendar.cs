using PaperMailer.Domain;

namespace PaperMailer.Digest;

/// <summary>Local dates and hours in the subscriber's own time zone: a digest belongs to the subscriber's day, not the server's.</summary>
public static class DigestCalendar
{
    public static TimeZoneInfo Zone(Subscriber subscriber) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(subscriber.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTimeOffset LocalNow(Subscriber subscriber, DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, Zone(subscriber));

    public static DateOnly LocalToday(Subscriber subscriber, DateTimeOffset now) => DateOnly.FromDateTime(LocalNow(subscriber, now).DateTime);

    /// <summary>True once the subscriber's delivery hour has begun on their local today.</summary>
    public static bool IsDue(Subscriber subscriber, DateTimeOffset now) => LocalNow(subscriber, now).Hour >= subscriber.DeliveryHour;

    /// <summary>The instant the subscriber's local <paramref name="date"/> ends (start of the next local day).</summary>
    public static DateTimeOffset EndOfLocalDay(Subscriber subscriber, DateOnly date)
    {
        var zone = Zone(subscriber);
        var midnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight that does not exist (a spring-forward gap) moves to the first instant that does.
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}
