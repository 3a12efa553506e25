using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>A weekly subscriber who chose their weekday gets the digest on that local day, at their hour, and on no other.</summary>
public class WeeklyWeekdayTests
{
    // Monday 16 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_weekly_digest_with_a_chosen_weekday_goes_out_on_that_day_only()
    {
        using var app = new TestApp(Monday);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Monday.AddHours(-2));
        var added = await app.AddSubscriberAsync("weekly@example.org", topics: ["llm-agents"], hour: 8, frequency: DigestFrequency.Weekly);
        await app.Get<ISubscriberStore>().UpdateProfileAsync(added with { Weekday = DayOfWeek.Wednesday });
        Assert.Equal(DayOfWeek.Wednesday, (await app.Get<ISubscriberStore>().GetByIdAsync(added.Id))!.Weekday);
        var run = app.Get<DigestRun>();
        async Task<int> RunAtAsync(DateTimeOffset at, bool dueOnly = true)
        {
            app.Clock.Set(at);
            await run.RunAsync(new DigestRunRequest(DueOnly: dueOnly), CancellationToken.None);
            // Digests decided: the second has no new papers to send, but its day is decided all the same.
            return (await app.Get<IDeliveryLedger>().ListAsync()).Count;
        }

        Assert.Equal(0, await RunAtAsync(Monday));
        Assert.Equal(0, await RunAtAsync(Monday.AddDays(1), dueOnly: false)); // an operator's run on Tuesday leaves them alone too
        Assert.Equal(0, await RunAtAsync(Monday.AddDays(2).AddHours(-3))); // Wednesday 07:00: before the hour
        Assert.Equal(1, await RunAtAsync(Monday.AddDays(2))); // Wednesday 10:00
        Assert.Equal(1, await RunAtAsync(Monday.AddDays(3)));
        Assert.Equal(1, await RunAtAsync(Monday.AddDays(8))); // the next Tuesday
        Assert.Equal(2, await RunAtAsync(Monday.AddDays(9))); // the next Wednesday
        Assert.Single(app.Transport.Sent);
        Assert.All(await app.Get<IDeliveryLedger>().ListAsync(), d => Assert.Equal(DayOfWeek.Wednesday, d.DigestDate.DayOfWeek));
    }

    [Fact]
    public void The_first_weekly_digest_is_promised_for_the_chosen_day_at_the_hour()
    {
        var ann = new Subscriber { Email = "ann@example.org", TimeZone = "Europe/Berlin", DeliveryHour = 7, Frequency = DigestFrequency.Weekly, Weekday = DayOfWeek.Friday };

        // Confirmed on Monday 16 November at 11:00 Berlin: Friday 20 November, 07:00 Berlin (06:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero), DigestCalendar.FirstDigestAt(ann, Monday));
        // Daily subscribers ignore the day.
        Assert.Equal(new DateTimeOffset(2026, 11, 17, 6, 0, 0, TimeSpan.Zero), DigestCalendar.FirstDigestAt(ann with { Frequency = DigestFrequency.Daily }, Monday));
    }
}
