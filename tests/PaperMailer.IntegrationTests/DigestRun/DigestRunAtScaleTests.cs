using System.Diagnostics;
using PaperMailer.Domain;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// Issue 11's run at scale: 20,000 subscribers over SMTP, the program killed (SIGKILL) mid-run and run again. Nobody is
/// missed, nobody gets a second digest, and only the documented window of accepted-but-unrecorded messages is sent
/// again, each as the same message. Counted by the SMTP server. A class of its own so that it runs beside the other
/// digest-run tests instead of after them.
/// </summary>
[RunsForAbout(seconds: 60)]
public sealed class DigestRunAtScaleTests
{
    /// <summary>
    /// Above twice the backlog of claimed digests a run has ahead of its senders (about 700, some 3 s at the test
    /// server's pace), so the run renews few claims.
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    [DigestRunFact(faketime: true)]
    public async Task Killed_mid_run_at_20000_subscribers_and_run_again_nobody_is_missed_or_sent_two_digests_and_resends_stay_within_the_window()
    {
        const int count = 20_000;
        // Set up through the program: the one digest-run test that collects and imports (20,000 rows) as an operator does.
        await using var site = await DigestRunSite.StartAsync(setUpThroughProgram: true);
        site.ExtraSettings.AddRange([$"--Digest:ClaimLease={Lease:c}", $"--Digest:CommitGroupSize={DigestRunCrashTests.CrashWindow}"]);
        await site.CollectPapersAsync(3, withSamples: true);
        var emails = await site.ImportSubscribersAsync(count);

        var clock = Stopwatch.StartNew();
        using (var run = site.Start(["digest"]))
        {
            await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= 2 * count / 5, TimeSpan.FromMinutes(10), "the run to be well under way");
            run.Kill();
        }
        var killedAt = clock.Elapsed;
        var beforeKill = (await site.Server.WaitUntilIdleAsync(TimeSpan.FromSeconds(30))).Count(m => m.Code == 250);
        Assert.True(beforeKill < count, "the run had sent everything before it was killed: the test proves nothing");
        var held = (await site.LedgerAsync()).Where(d => d.Status == DeliveryStatus.Sending).ToList();

        // Run again once the dead run's leases have run out: on a clock just past the last of them rather than after
        // waiting them out (the lease itself is DigestRunCrashTests' subject, with a run inside it and one after it).
        var afterLeases = held.Count > 0 ? held.Max(d => d.LeaseUntil!.Value) + TimeSpan.FromSeconds(1) : DateTimeOffset.UtcNow;
        // Some 12,000 digests: on a machine busy with other builds and tests this once took longer than the three
        // minutes an ordinary command gets before it counts as hung.
        await site.CliAsync(["digest"], afterLeases, timeout: TimeSpan.FromMinutes(10));

        var accepted = site.Server.Accepted();
        DigestRunCrashTests.AssertEachOnceWithinWindow(emails, accepted, await site.LedgerAsync(), DigestRunCrashTests.CrashWindow);
        Console.WriteLine($"20,000-subscriber crash test: killed after {killedAt.TotalSeconds:0.0} s with {beforeKill} accepted and {held.Count} claimed; "
            + $"{accepted.Count - count} resent; {clock.Elapsed.TotalSeconds:0.0} s in all");
    }
}
