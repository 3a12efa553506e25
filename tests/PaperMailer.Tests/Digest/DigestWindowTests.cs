using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// Which papers a digest offers (those first collected since the cut-off of the subscriber's previous digest, never
/// one they were given) and when a digest may go out at all (one per subscriber in any ~20 hours, whatever their time
/// zone does), with the clock moved by hand through a DST change, downtime and time-zone edits.
/// </summary>
[RunsForAbout(seconds: 12)]
public class DigestWindowTests
{
    private static readonly string[] Fillers = ["Protein folding with lattice models", "Ocean currents from satellite data", "Bird song dialects in cities"];

    private static readonly string[] Vocabulary =
    [
        "trees", "cascades", "lookahead", "verifiers", "lossless", "batching", "phones", "contexts", "sparsity", "quantization",
        "retrieval", "caching", "kernels", "schedulers", "heads", "medusa", "eagle", "sampling", "acceptance", "budgets",
        "latency", "throughput", "servers", "edge", "vision", "speech", "code", "math", "dialogue", "translation",
        "robots", "games", "music", "chemistry", "biology", "finance", "weather", "maps", "legal", "medicine",
        "poetry", "tables", "graphs", "charts", "video", "audio", "sensors", "drones", "satellites", "farms",
        "oceans", "forests", "cities", "rivers", "mountains", "deserts", "islands", "volcanoes", "glaciers", "canyons",
    ];

    private static TestApp App(DateTimeOffset start, IDictionary<string, string?>? settings = null) => new(start, settings);

    /// <summary>One paper for the subscribers' keyword and a few about something else, first seen now.</summary>
    private static async Task<string> CollectAsync(TestApp app, int n)
    {
        var now = app.Clock.GetUtcNow();
        var id = $"2610.{n:00000}";
        // Words of its own, so that no two of these papers count as near-duplicates (a digest shows one of those).
        var random = new Random(n);
        var own = string.Join(' ', Vocabulary.OrderBy(_ => random.Next()).Take(8));
        var papers = new List<Paper> { SamplePapers.Make(id, $"Speculative decoding with {own}", $"We speed up speculative decoding of language models: {own}.", now) };
        papers.AddRange(Fillers.Select((title, i) => SamplePapers.Make($"2620.{n:00000}{i}", $"{title} {n}", $"{title} observed again.", now)));
        await app.Get<IPaperStore>().UpsertAsync(papers, now);
        return id;
    }

    private static Task<DigestRunReport> CheckAsync(TestApp app) =>
        app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true), CancellationToken.None);

    [Fact]
    public async Task Every_paper_is_offered_exactly_once_across_the_autumn_DST_change_and_a_service_outage()
    {
        // Friday 30 October 2026, 04:00 UTC (midnight in New York, which leaves daylight saving time on Sunday 1 November at 02:00).
        using var app = App(new DateTimeOffset(2026, 10, 30, 4, 0, 0, TimeSpan.Zero));
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), app.Clock.GetUtcNow().AddDays(-3));
        var newYork = await app.AddSubscriberAsync("newyork@example.org", keywords: ["speculative decoding"], timeZone: "America/New_York", hour: 2, maxPapers: 50);
        var utc = await app.AddSubscriberAsync("utc@example.org", keywords: ["speculative decoding"], timeZone: "UTC", hour: 2, maxPapers: 50);
        var collected = new List<(string Id, DateTimeOffset At)>();

        // A paper every hour at half past, the scheduler's check every hour on the hour; the service is down for
        // seven hours on Monday (its check at 06:00 and 07:00 UTC never happens), so that digest goes out late.
        for (var hour = 0; hour < 4 * 24 + 4; hour++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            collected.Add((await CollectAsync(app, hour), app.Clock.GetUtcNow()));
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            var now = app.Clock.GetUtcNow();
            if (now.Day == 2 && now.Hour is >= 3 and < 10) continue;
            await CheckAsync(app);
        }

        var ledger = await app.Get<IDeliveryLedger>().ListAsync();
        foreach (var subscriber in new[] { newYork, utc })
        {
            var digests = ledger.Where(d => d.SubscriberId == subscriber.Id).ToList();
            Assert.All(digests, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
            Assert.Equal(digests.Count, digests.Select(d => d.DigestDate).Distinct().Count());
            Assert.InRange(digests.Count, 4, 5);
            var offered = digests.SelectMany(d => d.PaperIds).Where(id => id.StartsWith("2610.", StringComparison.Ordinal)).ToList();
            var due = collected.Where(p => p.At < digests[^1].CutoffAt).Select(p => p.Id).ToList();
            Assert.Equal(offered.Count, offered.Distinct().Count());
            Assert.Equal(due.Order(), offered.Order());
        }
        // 02:00 in New York was 06:00 UTC before the change and 07:00 UTC after it.
        var times = ledger.Where(d => d.SubscriberId == newYork.Id).Select(d => d.CreatedAt.UtcDateTime.Hour).ToList();
        Assert.Contains(6, times);
        Assert.Contains(7, times);
    }

    [Fact]
    public async Task A_given_up_digest_gives_its_papers_to_the_next_digest_and_does_not_count_against_the_address()
    {
        var start = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        using var app = App(start, new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "2", ["Delivery:SuppressAfterFailures"] = "1" });
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), start.AddHours(-2));
        var s = await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        app.Transport.Answer = _ => DeliveryResult.FromReply(DeliveryOutcome.Deferred, 451, "4.3.0 Try again later");
        await CheckAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var second = await CheckAsync(app);
        var givenUp = (await app.Get<IDeliveryLedger>().ListAsync()).Single();
        Assert.Equal(DeliveryStatus.Failed, givenUp.Status);
        Assert.StartsWith("gave up after 2 attempts", givenUp.LastReply);
        Assert.NotEmpty(givenUp.PaperIds);

        app.Transport.Answer = _ => DeliveryResult.Sent("250 ok");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await CheckAsync(app);

        Assert.Equal(SubscriberStatus.Active, (await app.Get<ISubscriberStore>().GetByIdAsync(s.Id))!.Status);
        var next = (await app.Get<IDeliveryLedger>().GetAsync(s.Id, new DateOnly(2026, 11, 17)))!;
        Assert.Equal(DeliveryStatus.Sent, next.Status);
        Assert.Equal(givenUp.PaperIds.Order(), next.PaperIds.Order());
    }

    [Fact]
    public async Task Time_zone_changes_never_bring_a_second_digest_within_twenty_hours()
    {
        // Monday 16 November 2026, 10:00 UTC.
        var start = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        using var app = App(start);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), start.AddHours(-2));
        var s = await app.AddSubscriberAsync("traveller@example.org", topics: ["llm-agents"], hour: 0);
        var store = app.Get<ISubscriberStore>();
        await CheckAsync(app);

        // Ten minutes later it is already Tuesday in Kiritimati (UTC+14), ten more and still Sunday in Pago Pago (UTC-11).
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await store.UpdateProfileAsync(s with { TimeZone = "Pacific/Kiritimati" });
        await app.Get<IPaperStore>().UpsertAsync([SamplePapers.Make("2611.00001", "Web agents that remember", "LLM agents with long-term memory browse the web.")], app.Clock.GetUtcNow());
        var east = await CheckAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await store.UpdateProfileAsync(s with { TimeZone = "Pacific/Pago_Pago" });
        var west = await CheckAsync(app);

        Assert.Equal(0, east.Total + west.Total);
        Assert.Single(app.Transport.Sent);

        // Back in Kiritimati; 21 hours after the first digest it is Tuesday evening there: the next digest goes out.
        await store.UpdateProfileAsync(s with { TimeZone = "Pacific/Kiritimati" });
        app.Clock.Set(start.AddHours(21));
        await CheckAsync(app);
        var digests = await app.Get<IDeliveryLedger>().ListAsync();
        Assert.Equal([new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 17)], digests.Select(d => d.DigestDate));
        Assert.Contains("2611.00001", digests[1].PaperIds);
        Assert.Equal(2, app.Transport.Sent.Count);
    }

    [Fact]
    public async Task A_date_in_the_future_is_refused_and_records_nothing()
    {
        var start = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        using var app = App(start);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), start.AddHours(-2));
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        var tomorrowEverywhere = DigestPlanner.LatestDate(start).AddDays(1);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            app.Get<DigestRun>().RunAsync(new DigestRunRequest(Date: tomorrowEverywhere, DueOnly: false), CancellationToken.None));

        Assert.StartsWith($"--date {tomorrowEverywhere:yyyy-MM-dd} is in the future", refused.Message);
        Assert.Empty(await app.Get<IDeliveryLedger>().ListAsync());
        Assert.Empty(app.Transport.Sent);
    }

    [Fact]
    public async Task Only_a_refusal_of_the_address_counts_towards_suppression_not_a_capability_the_server_lacks()
    {
        var start = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        using var app = App(start, new Dictionary<string, string?> { ["Delivery:SuppressAfterFailures"] = "1" });
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), start.AddHours(-2));
        var international = await app.AddSubscriberAsync("josé@example.org", topics: ["llm-agents"]);
        var unknown = await app.AddSubscriberAsync("nobody@example.org", topics: ["llm-agents"]);
        app.Transport.Answer = m => m.Recipient().Address.StartsWith("jos", StringComparison.Ordinal)
            ? DeliveryResult.Failed("not sent: the address josé@example.org needs SMTPUTF8, which smtp.example.org:587 does not offer " +
                "(a limit of the mail server, not the recipient's fault: send through a server that offers SMTPUTF8)")
            : DeliveryResult.FromReply(DeliveryOutcome.Failed, 550, "5.1.1 <nobody@example.org>: Recipient address rejected") with { RecipientRefused = true };

        var report = await CheckAsync(app);

        var store = app.Get<ISubscriberStore>();
        Assert.Equal(SubscriberStatus.Active, (await store.GetByIdAsync(international.Id))!.Status);
        Assert.Equal(SubscriberStatus.Bounced, (await store.GetByIdAsync(unknown.Id))!.Status);
        Assert.Contains("not the recipient's fault", report.Lines.Single(l => l.Email == international.Email).Reply);
        Assert.Contains("address suppressed", report.Lines.Single(l => l.Email == unknown.Email).Reply);
    }
}
