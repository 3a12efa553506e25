using System.Globalization;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// Which papers a digest offers, over days, as real `papermailer` processes run at chosen times (faketime): every paper
/// collected since the subscriber's previous digest, exactly once, however late or irregular the digests; papers of a
/// digest given up on come round again; at most one digest a real day whatever the time zone does. The papers are
/// read from the messages the SMTP server received. The other cases, each a class of its own so that they run beside
/// one another: <see cref="DigestRunGivenUpTests"/>, <see cref="DigestRunTimeZoneTests"/>.
/// </summary>
[RunsForAbout(seconds: 30)]
public sealed class DigestRunWindowTests
{
    [DigestRunFact(faketime: true)]
    public async Task Late_digests_across_the_autumn_clock_change_a_missed_check_and_a_moved_hour_offer_every_paper_exactly_once()
    {
        await using var site = await DigestRunSite.StartAsync(papers: true);
        var people = await site.AddSubscribersAsync([("ny", "America/New_York", 2), ("moved", "UTC", 6), ("late", "UTC", 12)], At("2026-10-30 04:00"));
        var (ny, moved, late) = (people[0], people[1], people[2]);
        async Task ScheduledRunAsync(string at) => await site.CliAsync(["digest", "--due-only"], At(at));

        var c0 = await site.CollectPapersAsync(2, At("2026-10-30 05:00"), withSamples: true);
        await ScheduledRunAsync("2026-10-30 06:05");                 // ny (02:05 EDT) and moved (06:05)
        var c1 = await site.CollectPapersAsync(2, At("2026-10-30 06:30"));
        await ScheduledRunAsync("2026-10-30 12:05");                 // late
        var c2 = await site.CollectPapersAsync(2, At("2026-10-30 13:00"));
        await site.CliAsync(["subscribers", "update", moved, "--hour", "18"], At("2026-10-31 05:00"));
        await ScheduledRunAsync("2026-10-31 06:05");                 // ny (02:05 EDT)
        var c3 = await site.CollectPapersAsync(2, At("2026-10-31 06:30"));
        // No check at 12:05: the service was down until 18:00.
        await ScheduledRunAsync("2026-10-31 18:05");                 // moved (its new hour), late (six hours late)
        var c4 = await site.CollectPapersAsync(2, At("2026-10-31 20:00"));
        await ScheduledRunAsync("2026-11-01 07:05");                 // ny: 02:05 EST, 25 hours after its last digest

        var all = c0.Concat(c1).Concat(c2).Concat(c3).Concat(c4).ToHashSet();
        AssertDigests(site, ny, all, [c0, [.. c1, .. c2], [.. c3, .. c4]]);
        AssertDigests(site, moved, all, [c0, [.. c1, .. c2, .. c3]]);
        AssertDigests(site, late, all, [[.. c0, .. c1], [.. c2, .. c3]]);
    }

    internal static DateTimeOffset At(string utc) =>
        DateTimeOffset.ParseExact(utc, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// The digests <paramref name="email"/> received, in order, offered exactly these of <paramref name="ours"/> (the
    /// test's papers), and every one of them at most once.
    /// </summary>
    internal static void AssertDigests(DigestRunSite site, string email, IReadOnlyCollection<string> ours, IReadOnlyList<IReadOnlyList<string>> expected)
    {
        var received = site.Server.Accepted().Where(m => m.Recipients == email)
            .Select(m => string.Join(' ', m.Papers.Where(ours.Contains).Order(StringComparer.Ordinal))).ToList();
        Assert.Equal(expected.Select(papers => string.Join(' ', papers.Order(StringComparer.Ordinal))).ToList(), received);
    }
}
