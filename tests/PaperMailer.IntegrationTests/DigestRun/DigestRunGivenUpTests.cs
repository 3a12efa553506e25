using PaperMailer.Domain;
using PaperMailer.Testing;
using static PaperMailer.IntegrationTests.DigestRun.DigestRunWindowTests;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// Which papers a digest offers after one was given up on (real `papermailer` processes at chosen times, faketime):
/// the papers of the digest given up on come round in the next one, and the address is not suppressed for it.
/// </summary>
[RunsForAbout(seconds: 25)]
public sealed class DigestRunGivenUpTests
{
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
}
