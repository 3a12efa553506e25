using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// Runs that overlap (two `papermailer digest` at once, the service and an operator) on one ledger, each in its own
/// composition as a second process would be; retries and their backoff; a run stopped by a signal.
/// </summary>
public class DigestRunOverlapTests
{
    // Monday 16 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
    private const int Readers = 40;

    private static async Task<TestApp> AppWithReadersAsync(IDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(Morning, settings);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        for (var i = 0; i < Readers; i++) await app.AddSubscriberAsync($"reader{i:00}@example.org", topics: ["llm-agents"]);
        return app;
    }

    /// <summary>Another process on the same database and outbox, at the same time.</summary>
    private static TestApp SecondProcess(TestApp first) => new(first.Clock.GetUtcNow(), first.SharedFiles());

    private static Task<DigestRunReport> RunAsync(TestApp app, bool retryNow = false, bool dueOnly = true, CancellationToken stop = default) =>
        app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: dueOnly, RetryNow: retryNow), stop);

    [Fact]
    public async Task Two_runs_at_once_over_deferred_digests_send_each_digest_exactly_once()
    {
        using var first = await AppWithReadersAsync();
        first.Transport.Answer = _ => DeliveryResult.FromReply(DeliveryOutcome.Deferred, 421, "4.3.2 Service shutting down");
        await RunAsync(first);
        Assert.All(await first.Get<IDeliveryLedger>().ListAsync(), d => Assert.Equal(DeliveryStatus.Deferred, d.Status));

        // The server is back; after the backoff two runs start at once, each yielding between sends so they interleave.
        first.Transport.Answer = _ => DeliveryResult.Sent("250 ok");
        first.Clock.Advance(TimeSpan.FromMinutes(6));
        using var second = SecondProcess(first);
        first.Transport.Hold = async _ => await Task.Yield();
        second.Transport.Hold = async _ => await Task.Yield();
        var reports = await Task.WhenAll(Task.Run(() => RunAsync(first)), Task.Run(() => RunAsync(second)));

        var received = first.Transport.Sent.Concat(second.Transport.Sent).ToList();
        Assert.Equal(Readers, received.Count);
        Assert.Equal(Readers, received.Select(m => m.Recipient().Address).Distinct().Count());
        Assert.Equal(Readers, reports.Sum(r => r.Count(DeliveryStatus.Sent)));
        Assert.DoesNotContain(reports.SelectMany(r => r.Lines), l => l.Status == DeliveryStatus.NothingToSend);
        Assert.All(await first.Get<IDeliveryLedger>().ListAsync(), d => Assert.Equal((DeliveryStatus.Sent, 2), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task A_run_started_while_another_is_sending_sends_nothing_and_says_the_other_run_has_them()
    {
        using var service = await AppWithReadersAsync();
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Transport.Hold = async _ =>
        {
            sending.TrySetResult();
            await release.Task;
        };
        var serviceRun = Task.Run(() => RunAsync(service));
        await sending.Task;

        using var operatorRun = SecondProcess(service);
        var report = await RunAsync(operatorRun, dueOnly: false);
        release.SetResult();
        var served = await serviceRun;

        Assert.Empty(operatorRun.Transport.Sent);
        Assert.Equal(0, report.Total);
        Assert.DoesNotContain(report.Lines, l => l.Status == DeliveryStatus.NothingToSend);
        Assert.Equal(Readers, report.Backlog!.HeldByOthers);
        Assert.Contains($"left to others: {Readers} being sent by another run now", report.Summary(), StringComparison.Ordinal);
        Assert.Equal(Readers, served.Count(DeliveryStatus.Sent));
        Assert.Equal(Readers, service.Transport.Sent.Select(m => m.Recipient().Address).Distinct().Count());
    }

    [Fact]
    public async Task Retries_wait_for_their_backoff_in_every_run_and_retry_now_forces_them()
    {
        using var app = await AppWithReadersAsync();
        app.Transport.Answer = _ => DeliveryResult.FromReply(DeliveryOutcome.Deferred, 451, "4.3.0 Try again later");
        await RunAsync(app);

        // Eight runs in 30 seconds, as the scheduler's job or an impatient operator would start them.
        for (var i = 0; i < 8; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(4));
            var early = await RunAsync(app, dueOnly: i % 2 == 0);
            Assert.Equal(0, early.Total);
            Assert.Equal(Readers, early.Backlog!.WaitingForRetry);
            Assert.Contains("--retry-now retries them at once", early.Summary(), StringComparison.Ordinal);
        }
        Assert.All(await app.Get<IDeliveryLedger>().ListAsync(), d => Assert.Equal(1, d.Attempts));

        var forced = await RunAsync(app, retryNow: true);

        Assert.Equal(Readers, forced.Count(DeliveryStatus.Deferred));
        Assert.All(forced.Lines, l => Assert.True(l.Retry));
        Assert.All(await app.Get<IDeliveryLedger>().ListAsync(), d => Assert.Equal((DeliveryStatus.Deferred, 2), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task A_stopped_run_finishes_and_records_the_sends_under_way_and_gives_back_the_rest()
    {
        using var app = await AppWithReadersAsync();
        using var stop = new CancellationTokenSource();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Transport.Hold = async _ =>
        {
            await stop.CancelAsync(); // SIGTERM arrives while the first sends are in flight
            await release.Task;
        };
        var running = Task.Run(() => RunAsync(app, stop: stop.Token));
        while (!stop.IsCancellationRequested) await Task.Yield();
        release.SetResult();
        var report = await running;

        Assert.True(report.Stopped);
        var rows = await app.Get<IDeliveryLedger>().ListAsync();
        Assert.DoesNotContain(rows, d => d.Status == DeliveryStatus.Sending);
        var sent = rows.Where(d => d.Status == DeliveryStatus.Sent).ToList();
        Assert.NotEmpty(sent);
        Assert.Equal(sent.Select(d => d.MessageId).Order(), app.Transport.Sent.Select(m => m.LedgerMessageId()).Order());
        Assert.Equal(rows.Count - sent.Count, report.Released);
        Assert.All(rows.Except(sent), d => Assert.Equal((DeliveryStatus.Queued, 0), (d.Status, d.Attempts)));

        // The next run sends the rest, each as the message recorded for it.
        app.Transport.Hold = null;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var next = await RunAsync(app);
        Assert.Equal(rows.Count - sent.Count, next.Count(DeliveryStatus.Sent));
        Assert.Equal(Readers, app.Transport.Sent.Select(m => m.Recipient().Address).Distinct().Count());
        Assert.Equal(Readers, app.Transport.Sent.Count);
        var after = await app.Get<IDeliveryLedger>().ListAsync();
        Assert.Equal(rows.Select(d => d.MessageId), after.Select(d => d.MessageId));
    }
}
