using PaperMailer.Domain;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// A `digest` that dies (SIGKILL) or is stopped (SIGTERM) mid-send: what it claimed is left alone while its lease lasts,
/// then taken over and sent with the same Message-ID; nobody is missed, nobody gets a second digest, and only the
/// documented window of accepted-but-unrecorded messages is sent again. Counted by the SMTP server. (The same at
/// 20,000 subscribers: <see cref="DigestRunAtScaleTests"/>.)
/// </summary>
[RunsForAbout(seconds: 45)]
public sealed class DigestRunCrashTests
{
    /// <summary>Digest:CommitGroupSize (its shipped value): at most this many accepted messages are unrecorded at any moment.</summary>
    internal const int CrashWindow = 200;

    /// <summary>
    /// Long enough for a whole `digest --retry-now` (a process start) to run inside it on a very busy machine. Nothing
    /// waits it out (the takeover run starts on a clock past it), so a long one costs no time.
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [DigestRunFact(faketime: true)]
    public async Task A_killed_claimant_keeps_its_digests_until_its_lease_runs_out_then_they_are_taken_over_with_the_same_message_ids()
    {
        await using var site = await DigestRunSite.StartAsync();
        site.ExtraSettings.AddRange([$"--Digest:ClaimLease={Lease:c}", $"--Digest:CommitGroupSize={CrashWindow}"]);
        await site.CollectPapersAsync(3, withSamples: true);
        const int count = 100;
        var emails = await site.ImportSubscribersAsync(count);

        site.Server.Stall(TimeSpan.FromMilliseconds(300));
        using (var claimant = site.Start(["digest"]))
        {
            await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= 12, TimeSpan.FromMinutes(2), "the first run to be sending");
            claimant.Kill();
        }
        site.Server.NoStall();
        var beforeTakeover = await site.Server.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        var held = (await site.LedgerAsync()).Where(d => d.Status == DeliveryStatus.Sending).ToList();
        Assert.True(held.Count > 0, "the killed run held no digest: nothing to take over");
        var leaseEnds = held.Min(d => d.LeaseUntil!.Value);

        // While the dead run's lease lasts, even a forced retry leaves its digests alone.
        var retry = await site.CliAsync(["digest", "--retry-now"], expectedExit: null);
        Assert.True(DateTimeOffset.UtcNow < leaseEnds, $"the retry ended after the lease ({Lease}) had run out: the machine is too slow for this check\n{retry}");
        Assert.Equal(beforeTakeover.Count(m => m.Code == 250), site.Server.Accepted().Count);
        Assert.Contains($"{held.Count} being sent by another run now", retry);

        // Once it has run out, the next run takes them over: a run whose clock is past the last lease (faketime; the
        // lease is wall-clock time, so this is the run that would start after waiting it out).
        await site.CliAsync(["digest"], held.Max(d => d.LeaseUntil!.Value) + TimeSpan.FromSeconds(1));

        var accepted = site.Server.Accepted();
        var ledger = await site.LedgerAsync();
        AssertEachOnceWithinWindow(emails, accepted, ledger, CrashWindow);
        var byId = ledger.ToDictionary(d => d.Id);
        Assert.All(held, d =>
        {
            Assert.Equal(DeliveryStatus.Sent, byId[d.Id].Status);
            Assert.Equal(d.MessageId, byId[d.Id].MessageId);
        });
        // The messages the dead run had handed over without recording them were sent again, as the same messages.
        var resent = accepted.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.NotEmpty(resent);
        Assert.All(resent, id => Assert.Contains(held, d => d.MessageId == id));
    }

    [DigestRunFact]
    public async Task SIGTERM_mid_send_leaves_nothing_sending_and_every_accepted_message_recorded_as_sent()
    {
        await using var site = await DigestRunSite.StartAsync();
        await site.CollectPapersAsync(3, withSamples: true);
        const int count = 100;
        var emails = await site.ImportSubscribersAsync(count);

        site.Server.Stall(TimeSpan.FromMilliseconds(300));
        string stopped;
        using (var run = site.Start(["digest"]))
        {
            await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= 12, TimeSpan.FromMinutes(2), "the run to be sending");
            run.Terminate();
            await run.WaitForExitAsync(TimeSpan.FromMinutes(1));
            stopped = run.Output;
        }
        var received = await site.Server.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        var accepted = received.Where(m => m.Code == 250).ToList();
        Assert.True(accepted.Count < count, $"the run had sent everything before the signal ({accepted.Count}): the test proves nothing");
        Assert.Contains("Stopped by a signal", stopped);

        AssertNothingSendingAndEveryAcceptedSent(accepted, await site.LedgerAsync());

        // The next run sends the rest, and nothing a second time.
        site.Server.NoStall();
        await site.CliAsync(["digest"]);
        AssertEachOnceWithinWindow(emails, site.Server.Accepted(), await site.LedgerAsync(), window: 0);
    }

    [DigestRunFact]
    public async Task SIGTERM_to_the_service_mid_send_leaves_nothing_sending_and_every_accepted_message_recorded_as_sent()
    {
        await using var site = await DigestRunSite.StartAsync();
        await site.CollectPapersAsync(3, withSamples: true);
        const int count = 100;
        var emails = await site.ImportSubscribersAsync(count);

        site.Server.Stall(TimeSpan.FromMilliseconds(300));
        await using (var service = await PaperMailerService.StartAsync(site.Folder,
            [.. site.Settings, "--Schedule:FirstDigestCheckDelay=00:00:01", "--Schedule:DigestCheckInterval=01:00:00"]))
        {
            await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= 12, TimeSpan.FromMinutes(1), "the service to be sending");
            await service.TerminateAsync(TimeSpan.FromMinutes(1));
        }
        var accepted = (await site.Server.WaitUntilIdleAsync(TimeSpan.FromSeconds(30))).Where(m => m.Code == 250).ToList();

        AssertNothingSendingAndEveryAcceptedSent(accepted, await site.LedgerAsync());

        site.Server.NoStall();
        await site.CliAsync(["digest"]);
        AssertEachOnceWithinWindow(emails, site.Server.Accepted(), await site.LedgerAsync(), window: 0);
    }

    /// <summary>After a stop by signal: no row is left <c>Sending</c>, and exactly the messages the server accepted are
    /// recorded as sent.</summary>
    private static void AssertNothingSendingAndEveryAcceptedSent(IReadOnlyList<ReceivedMessage> accepted, IReadOnlyList<DigestDelivery> ledger)
    {
        Assert.Equal([], ledger.Where(d => d.Status == DeliveryStatus.Sending).Select(d => $"{d.Email} {d.Status} claimed by {d.ClaimedBy}"));
        var byMessageId = ledger.ToDictionary(d => d.MessageId);
        Assert.All(accepted, m => Assert.Equal(DeliveryStatus.Sent, byMessageId[m.MessageId].Status));
        Assert.Equal(accepted.Count, ledger.Count(d => d.Status == DeliveryStatus.Sent));
    }

    /// <summary>
    /// Every recipient got exactly one digest (one Message-ID, the ledger's, recorded as sent); at most
    /// <paramref name="window"/> messages arrived a second time, each as the same message.
    /// </summary>
    internal static void AssertEachOnceWithinWindow(IReadOnlyList<string> emails, IReadOnlyList<ReceivedMessage> accepted, IReadOnlyList<DigestDelivery> ledger, int window)
    {
        var perRecipient = accepted.GroupBy(m => m.Recipients).ToDictionary(g => g.Key, g => g.Select(m => m.MessageId).Distinct().ToList());
        Assert.Equal([], emails.Where(e => !perRecipient.ContainsKey(e)).Take(10));
        Assert.Equal([], perRecipient.Where(p => p.Value.Count > 1).Select(p => $"{p.Key}: {string.Join(' ', p.Value)}").Take(10));
        var resends = accepted.Count - perRecipient.Count;
        Assert.True(resends <= window, $"{resends} messages were sent again; the documented window is {window}");
        var sent = ledger.Where(d => d.Status == DeliveryStatus.Sent).ToDictionary(d => d.Email, d => d.MessageId);
        Assert.Equal(emails.Count, sent.Count);
        Assert.All(perRecipient, p => Assert.Equal(sent[p.Key], p.Value.Single()));
    }
}
