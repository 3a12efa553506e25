using System.Globalization;
using PaperMailer.Domain;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// Which papers a digest offers, over days, as real `papermailer` processes run at chosen times (faketime): every paper
/// collected since the subscriber's previous digest, exactly once, however late or irregular the digests; papers of a
/// digest given up on come round again; at most one digest a real day whatever the time zone does. The papers are
/// read from the messages the SMTP server received.
/// </summary>
[RunsForAbout(seconds: 75)]
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

    [DigestRunFact(faketime: true)]
    public async Task A_digest_given_up_on_after_its_attempts_gives_its_papers_to_the_next_digest()
    {
        await using var site = await DigestRunSite.StartAsync(papers: true);
        site.ExtraSettings.AddRange(["--Delivery:MaxAttempts=2", "--Delivery:RetryBaseDelay=00:05:00", "--Delivery:SuppressAfterFailures=1"]);
        // One subscriber had a digest the day before; the other is new, so the digest given up on is their first.
        var veteran = (await site.AddSubscribersAsync([("veteran", "UTC", 8)], At("2026-06-09 06:00")))[0];
        var earlier = await site.CollectPapersAsync(2, At("2026-06-09 07:00"), withSamples: true);
        await site.CliAsync(["digest", "--due-only"], At("2026-06-09 08:05"));
        var newcomer = (await site.AddSubscribersAsync([("newcomer", "UTC", 8)], At("2026-06-10 06:00")))[0];
        var first = await site.CollectPapersAsync(3, At("2026-06-10 07:00"));
        int Refused() => site.Server.Received().Count(m => m.Code == 451);

        site.Server.Refuse();
        await site.CliAsync(["digest", "--due-only"], At("2026-06-10 08:05"), expectedExit: null);
        Assert.Equal(2, Refused());
        // Their retries are due five minutes later: a run before then leaves them alone.
        await site.CliAsync(["digest", "--due-only"], At("2026-06-10 08:07"), expectedExit: null);
        Assert.Equal(2, Refused());
        await site.CliAsync(["digest", "--due-only"], At("2026-06-10 08:11"), expectedExit: null);
        Assert.Equal(4, Refused());
        var givenUp = (await site.LedgerAsync()).Where(d => d.DigestDate == new DateOnly(2026, 6, 10)).ToList();
        Assert.Equal(2, givenUp.Count);
        Assert.All(givenUp, d => Assert.Equal(DeliveryStatus.Failed, d.Status));
        Assert.All(givenUp, d => Assert.Contains("gave up after 2 attempts", d.LastReply));

        site.Server.Accept();
        var second = await site.CollectPapersAsync(2, At("2026-06-10 12:00"));
        await site.CliAsync(["digest", "--due-only"], At("2026-06-11 08:05"));

        // Giving up was no fault of the address: neither is suppressed, and the next digest offers both days' papers.
        AssertDigests(site, veteran, [.. earlier, .. first, .. second], [earlier, [.. first, .. second]]);
        AssertDigests(site, newcomer, [.. first, .. second], [[.. first, .. second]]);
    }

    [DigestRunFact(faketime: true)]
    public async Task Time_zone_changes_within_twenty_minutes_give_one_digest_a_real_day_and_a_future_date_is_refused()
    {
        await using var site = await DigestRunSite.StartAsync(papers: true);
        var person = (await site.AddSubscribersAsync([("zones", "Pacific/Kiritimati", 0)], At("2026-06-01 09:00")))[0];
        var first = await site.CollectPapersAsync(2, At("2026-06-01 10:00"), withSamples: true);
        int Digests() => site.Server.Accepted().Count(m => m.Recipients == person);

        await site.CliAsync(["digest", "--due-only"], At("2026-06-01 11:00"));   // 2 June, 01:00 at UTC+14
        Assert.Equal(1, Digests());
        await site.CliAsync(["subscribers", "update", person, "--timezone", "Pacific/Pago_Pago"], At("2026-06-01 11:05"));
        await site.CliAsync(["digest", "--due-only"], At("2026-06-01 11:10"));   // 31 May, 00:10 at UTC-11
        await site.CliAsync(["subscribers", "update", person, "--timezone", "Europe/London"], At("2026-06-01 11:15"));
        await site.CliAsync(["digest", "--due-only"], At("2026-06-01 11:20"));   // 1 June, 12:20 in London
        var refused = await site.CliAsync(["digest", "--date", "2026-06-04"], At("2026-06-01 11:25"), expectedExit: 2);
        Assert.Contains("is in the future", refused);
        var second = await site.CollectPapersAsync(2, At("2026-06-01 15:00"));
        await site.CliAsync(["digest", "--due-only"], At("2026-06-01 18:00"));
        Assert.Equal(1, Digests());
        Assert.DoesNotContain(await site.LedgerAsync(), d => d.DigestDate > new DateOnly(2026, 6, 2));

        // The next real day: one more (2 June was had at UTC+14, so London's next is 3 June), and still one.
        await site.CliAsync(["digest", "--due-only"], At("2026-06-02 23:05"));   // 3 June, 00:05 in London
        await site.CliAsync(["digest", "--due-only"], At("2026-06-02 23:55"));
        AssertDigests(site, person, [.. first, .. second], [first, second]);
    }

    private static DateTimeOffset At(string utc) =>
        DateTimeOffset.ParseExact(utc, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// The digests <paramref name="email"/> received, in order, offered exactly these of <paramref name="ours"/> (the
    /// test's papers), and every one of them at most once.
    /// </summary>
    private static void AssertDigests(DigestRunSite site, string email, IReadOnlyCollection<string> ours, IReadOnlyList<IReadOnlyList<string>> expected)
    {
        var received = site.Server.Accepted().Where(m => m.Recipients == email)
            .Select(m => string.Join(' ', m.Papers.Where(ours.Contains).Order(StringComparer.Ordinal))).ToList();
        Assert.Equal(expected.Select(papers => string.Join(' ', papers.Order(StringComparer.Ordinal))).ToList(), received);
    }
}
