using PaperMailer.Domain;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// Runs that overlap — two operators' `digest` at once, an operator's `digest` beside the service — send each digest
/// once: counted by the SMTP server, per recipient and per Message-ID.
/// </summary>
[RunsForAbout(seconds: 40)]
public sealed class DigestRunOverlapTests
{
    /// <summary>Enough digests that two runs started together are still sending side by side.</summary>
    private const int Subscribers = 600;

    [DigestRunFact]
    public async Task Two_retry_runs_at_once_over_deferred_digests_send_each_recipient_exactly_one_message()
    {
        await using var site = await DigestRunSite.StartAsync();
        await site.CollectPapersAsync(3, withSamples: true);
        var emails = await site.ImportSubscribersAsync(Subscribers);

        site.Server.Refuse();
        await site.CliAsync(["digest"], expectedExit: null);
        var deferred = await site.LedgerAsync();
        Assert.Equal(Subscribers, deferred.Count);
        Assert.All(deferred, d => Assert.Equal(DeliveryStatus.Deferred, d.Status));
        var refusedBefore = site.Server.Received().Count(m => m.Code == 451);
        Assert.Equal(Subscribers, refusedBefore);

        site.Server.Accept();
        using var first = site.Start(["digest", "--retry-now"]);
        using var second = site.Start(["digest", "--retry-now"]);
        await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(3)), second.WaitForExitAsync(TimeSpan.FromMinutes(3)));

        var accepted = site.Server.Accepted();
        var perRecipient = accepted.GroupBy(m => m.Recipients).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([], perRecipient.Where(p => p.Value > 1).Select(p => $"{p.Key} x{p.Value}").Take(10));
        Assert.Equal([], emails.Where(e => !perRecipient.ContainsKey(e)).Take(10));
        Assert.Equal(Subscribers, accepted.Count);
        var ledger = await site.LedgerAsync();
        Assert.All(ledger, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(ledger.Select(d => d.MessageId).Order(), accepted.Select(m => m.MessageId).Order());
        // Each run's report says what it did: together they sent every digest once, and neither claims that a person the
        // other served had nothing to send.
        Assert.Equal(Subscribers, SentInReport(first.Output) + SentInReport(second.Output));
        Assert.DoesNotContain(": nothing to send", first.Output + second.Output);
    }

    [DigestRunFact]
    public async Task An_operator_digest_while_the_service_is_sending_sends_no_second_copy()
    {
        await using var site = await DigestRunSite.StartAsync();
        await site.CollectPapersAsync(3, withSamples: true);
        const int count = 200;
        var emails = await site.ImportSubscribersAsync(count);

        // A slow server keeps the service's run sending while the operator's commands run: 50 s for all 200 over its
        // 4 connections, so the two commands have that long even beside the other digest-run tests on a busy machine
        // (at 0.4 s a message they once took longer than the service's 20 s). Once they have ended the server stops
        // stalling, so the margin costs only the wait for the first messages. On PostgreSQL the service is a cluster of
        // one node, whose run is split into shards, a few at a time: as one shard its run claims everyone first, as on
        // SQLite, and the operator's commands meet only claimed digests.
        site.Server.Stall(TimeSpan.FromSeconds(1));
        await using var service = await PaperMailerService.StartAsync(site.Folder,
            [.. site.Settings, "--Schedule:FirstDigestCheckDelay=00:00:01", "--Schedule:DigestCheckInterval=01:00:00", "--Cluster:DigestShards=1"]);
        await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= 8, TimeSpan.FromMinutes(1), "the service to be sending");

        var operatorRun = await site.CliAsync(["digest"], expectedExit: null);
        var operatorRetry = await site.CliAsync(["digest", "--retry-now"], expectedExit: null);
        var midway = site.Server.Accepted().Count;
        Assert.True(midway < count, $"the service had finished ({midway} sent) before the operator's runs ended: the test proves nothing; make the server slower");

        site.Server.NoStall();
        await site.Server.WaitUntilAsync(r => r.Count(m => m.Code == 250) >= count, TimeSpan.FromMinutes(2), "every digest to arrive");
        var ledger = await WaitForLedgerAsync(site, l => l.Count == count && l.All(d => d.Status == DeliveryStatus.Sent), TimeSpan.FromMinutes(1));

        var accepted = site.Server.Accepted();
        var perRecipient = accepted.GroupBy(m => m.Recipients).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([], perRecipient.Where(p => p.Value > 1).Select(p => $"{p.Key} x{p.Value}").Take(10));
        Assert.Equal([], emails.Where(e => !perRecipient.ContainsKey(e)).Take(10));
        Assert.Equal(ledger.Select(d => d.MessageId).Order(), accepted.Select(m => m.MessageId).Order());
        Assert.DoesNotContain(": nothing to send", operatorRun + operatorRetry);
    }

    /// <summary>How many digests a run's summary line ("Digest run: 12 sent, …") says it sent.</summary>
    internal static int SentInReport(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, @"^Digest run: (\d+) sent", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(match.Success, $"no summary line in:\n{output}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static async Task<IReadOnlyList<DigestDelivery>> WaitForLedgerAsync(DigestRunSite site, Func<IReadOnlyList<DigestDelivery>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var ledger = await site.LedgerAsync();
            if (condition(ledger)) return ledger;
            Assert.True(DateTime.UtcNow < deadline,
                $"Timed out waiting for the ledger; it holds {string.Join(", ", ledger.GroupBy(d => d.Status).Select(g => $"{g.Count()} {g.Key}"))}.");
            await Task.Delay(100);
        }
    }
}
