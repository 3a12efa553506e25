using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Digest.Delivering;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

public class RecipientDomainLimiterTests
{
    private static RecipientDomainLimiter Limiter(int limit) =>
        new(Options.Create(new DeliveryOptions { MaxConcurrentPerRecipientDomain = limit }));

    [Fact]
    public async Task A_domain_at_its_limit_makes_the_next_sender_wait_until_a_place_is_given_back()
    {
        var limiter = Limiter(2);
        var first = await limiter.EnterAsync("a@busy.example", CancellationToken.None);
        var second = await limiter.EnterAsync("b@BUSY.example", CancellationToken.None);

        Task<IDisposable> third = limiter.EnterAsync("c@busy.example", CancellationToken.None);
        Task<IDisposable> elsewhere = limiter.EnterAsync("d@quiet.example", CancellationToken.None);

        Assert.False(third.IsCompleted);   // the semaphore hands out no place: not a matter of timing
        Assert.True(elsewhere.IsCompletedSuccessfully);
        first.Dispose();
        first.Dispose();   // giving a place back twice must not make room for two
        using var admitted = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Task<IDisposable> fourth = limiter.EnterAsync("e@busy.example", CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        second.Dispose();
        (await fourth.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await elsewhere).Dispose();
    }

    [Fact]
    public async Task Zero_means_no_limit()
    {
        var limiter = Limiter(0);

        var places = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => limiter.EnterAsync($"r{i}@busy.example", CancellationToken.None)));

        Assert.Equal(50, places.Length);
    }

    [Fact]
    public async Task A_waiting_sender_can_be_cancelled()
    {
        var limiter = Limiter(1);
        using var held = await limiter.EnterAsync("a@busy.example", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        Task<IDisposable> waiting = limiter.EnterAsync("b@busy.example", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task A_digest_run_never_has_more_than_the_limit_in_flight_to_one_domain_while_others_go_alongside()
    {
        // 3 subscribers at each of two domains, limit 2, more transport slots than subscribers: the transport sees
        // exactly 2 + 2 sends at once, then 1 + 1. Each send is held until the test has seen the whole wave.
        using var app = new TestApp(new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string?> { ["Delivery:MaxConcurrentPerRecipientDomain"] = "2" });
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), app.Clock.GetUtcNow().AddHours(-2));
        foreach (string domain in new[] { "busy.example", "quiet.example" })
        {
            for (int i = 0; i < 3; i++) await app.AddSubscriberAsync($"reader{i}@{domain}", topics: ["llm-agents"]);
        }

        app.Transport.MaxConcurrency = 8;
        var inFlight = new ConcurrentDictionary<MimeKit.MimeMessage, TaskCompletionSource>();
        var mostAtOnce = new ConcurrentDictionary<string, int>();
        app.Transport.Hold = message =>
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (inFlight)
            {
                inFlight[message] = release;
                int sameDomain = inFlight.Keys.Count(m => m.Recipient().Domain == message.Recipient().Domain);
                mostAtOnce.AddOrUpdate(message.Recipient().Domain, sameDomain, (_, before) => Math.Max(before, sameDomain));
            }

            return release.Task;
        };

        Task<DigestRunReport> run = app.Get<DigestRun>().RunAsync(new DigestRunRequest(), CancellationToken.None);
        foreach (int wave in new[] { 4, 2 })
        {
            await UntilAsync(() => inFlight.Count >= wave, $"{wave} sends in flight");
            lock (inFlight)
            {
                Assert.Equal(wave / 2, inFlight.Keys.Count(m => m.Recipient().Domain == "busy.example"));
                Assert.Equal(wave / 2, inFlight.Keys.Count(m => m.Recipient().Domain == "quiet.example"));
                foreach (var (message, release) in inFlight)
                {
                    inFlight.TryRemove(message, out _);
                    release.SetResult();
                }
            }
        }

        DigestRunReport report = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, report.Count(DeliveryStatus.Sent));
        Assert.Equal(2, mostAtOnce["busy.example"]);
        Assert.Equal(2, mostAtOnce["quiet.example"]);
    }

    // Bounded polling for an observable condition; the bound only stops a broken run from hanging.
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(10);
        }
    }
}
