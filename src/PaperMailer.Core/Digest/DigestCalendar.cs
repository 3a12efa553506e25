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

    /// <summary>
    /// When the first digest of someone who became active at <paramref name="activatedAt"/> is due: their delivery hour
    /// that same local day when it has not begun yet, otherwise the hour the next day — never minutes after confirming
    /// because the hour happens to have passed already.
    /// </summary>
    public static DateTimeOffset FirstDigestAt(Subscriber subscriber, DateTimeOffset activatedAt)
    {
        var zone = Zone(subscriber);
        var local = TimeZoneInfo.ConvertTime(activatedAt, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (local.Hour >= subscriber.DeliveryHour) day = day.AddDays(1);
        while (!IsTheirDay(subscriber, day)) day = day.AddDays(1);
        var at = day.ToDateTime(new TimeOnly(subscriber.DeliveryHour, 0), DateTimeKind.Unspecified);
        // An hour that does not exist that day (a spring-forward gap) moves to the first instant that does.
        while (zone.IsInvalidTime(at)) at = at.AddMinutes(30);
        return new DateTimeOffset(at, zone.GetUtcOffset(at));
    }

    /// <summary>Whether a digest may go out on this local date: any day, except for a weekly subscriber who chose their weekday.</summary>
    public static bool IsTheirDay(Subscriber subscriber, DateOnly date) =>
        subscriber.Frequency != DigestFrequency.Weekly || subscriber.Weekday is not { } weekday || date.DayOfWeek == weekday;

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
