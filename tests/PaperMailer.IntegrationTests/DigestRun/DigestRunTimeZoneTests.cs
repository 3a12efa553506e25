using PaperMailer.Testing;
using static PaperMailer.IntegrationTests.DigestRun.DigestRunWindowTests;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// A subscriber who changes time zone three times within twenty minutes (real `papermailer` processes at chosen
/// times, faketime) gets one digest a real day; a digest date in the future is refused.
/// </summary>
[RunsForAbout(seconds: 30)]
public sealed class DigestRunTimeZoneTests
{
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
}
