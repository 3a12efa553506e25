using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

public class DigestRunTests
{
    // Monday 16 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    private static async Task<TestApp> AppWithSamplePapersAsync(IDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(Morning, settings);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        return app;
    }

    private static Task<DigestRunReport> RunAsync(TestApp app, bool dueOnly = false) =>
        app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: dueOnly), CancellationToken.None);

    [Fact]
    public async Task Each_subscriber_gets_one_digest_ranked_for_their_own_profile()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        await app.AddSubscriberAsync("images@example.org", keywords: ["image generation", "diffusion"]);

        var report = await RunAsync(app);

        Assert.Equal(2, report.Count(DeliveryStatus.Sent));
        var byRecipient = app.Transport.Sent.ToDictionary(m => m.Recipient().Address);
        Assert.Contains("WebChallenger", byRecipient["agents@example.org"].TextBody);
        Assert.DoesNotContain("WebChallenger", byRecipient["images@example.org"].TextBody);
        Assert.Contains("High-Fidelity Two-Step Image Generation", byRecipient["images@example.org"].TextBody);
        Assert.NotEqual(byRecipient["agents@example.org"].MessageId, byRecipient["images@example.org"].MessageId);
    }

    [Fact]
    public async Task Running_again_the_same_day_sends_nothing()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        await RunAsync(app);

        app.Clock.Advance(TimeSpan.FromHours(3));
        var again = await RunAsync(app);

        Assert.Empty(again.Lines);
        Assert.Single(app.Transport.Sent);
    }

    [Fact]
    public async Task A_paper_is_never_sent_to_the_same_subscriber_twice_even_when_still_in_the_window()
    {
        using var app = await AppWithSamplePapersAsync();
        var s = await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"], maxPapers: 3);
        var best = (await app.Get<DigestPreview>().PreviewAsync(s, null, CancellationToken.None)).Papers.Personal.Take(2).Select(r => r.Paper.Id).ToArray();
        var ledger = app.Get<IDeliveryLedger>();
        // Yesterday's digest gave them today's two best papers, though its window closed before they were collected
        // (as a digest recorded before windows, or by hand, can): its cut-off does not keep them out, the ledger does.
        var yesterday = (await ledger.CreateAsync(LedgerRows.Draft(s, new DateOnly(2026, 11, 15), Morning.AddHours(-21), best)))!;
        await ledger.RecordAsync(yesterday, DeliveryStatus.Sent, "250 ok", Morning.AddHours(-21));

        await RunAsync(app);

        var today = (await ledger.GetAsync(s.Id, new DateOnly(2026, 11, 16)))!;
        Assert.Equal(DeliveryStatus.Sent, today.Status);
        Assert.Equal(3, today.PaperIds.Count);
        Assert.Empty(today.PaperIds.Intersect(best));
        var body = app.Transport.Sent.Single().TextBody ?? "";
        Assert.DoesNotContain(best, id => body.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_relevant_means_no_email_and_a_decided_day()
    {
        using var app = await AppWithSamplePapersAsync();
        var s = await app.AddSubscriberAsync("botany@example.org", keywords: ["photosynthesis"]);

        var report = await RunAsync(app);

        Assert.Empty(app.Transport.Sent);
        Assert.Equal(DeliveryStatus.NothingToSend, report.Lines.Single().Status);
        Assert.Equal(DeliveryStatus.NothingToSend, (await app.Get<IDeliveryLedger>().GetAsync(s.Id, new DateOnly(2026, 11, 16)))!.Status);
    }

    [Fact]
    public async Task Papers_collected_before_the_lookback_are_not_candidates()
    {
        using var app = new TestApp(Morning);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddDays(-2));
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);

        await RunAsync(app);

        Assert.Empty(app.Transport.Sent);
    }

    [Fact]
    public async Task The_scheduler_serves_each_subscriber_after_their_local_hour_and_once()
    {
        using var app = await AppWithSamplePapersAsync();
        // 10:00 UTC is 11:00 in Berlin and 05:00 in New York.
        await app.AddSubscriberAsync("berlin@example.org", topics: ["llm-agents"], timeZone: "Europe/Berlin", hour: 8);
        await app.AddSubscriberAsync("newyork@example.org", topics: ["llm-agents"], timeZone: "America/New_York", hour: 8);

        await RunAsync(app, dueOnly: true);
        Assert.Equal(["berlin@example.org"], app.Transport.Sent.Select(m => m.Recipient().Address));

        app.Clock.Advance(TimeSpan.FromHours(3)); // 08:00 in New York
        await RunAsync(app, dueOnly: true);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await RunAsync(app, dueOnly: true);

        Assert.Equal(["berlin@example.org", "newyork@example.org"], app.Transport.Sent.Select(m => m.Recipient().Address));
    }

    [Fact]
    public async Task A_digest_belongs_to_the_subscribers_local_date()
    {
        using var app = await AppWithSamplePapersAsync();
        // 10:00 UTC on Monday is already 23:00 Monday in Auckland (UTC+13).
        var kiwi = await app.AddSubscriberAsync("kiwi@example.org", topics: ["llm-agents"], timeZone: "Pacific/Auckland", hour: 7);

        await RunAsync(app, dueOnly: true);

        Assert.NotNull(await app.Get<IDeliveryLedger>().GetAsync(kiwi.Id, new DateOnly(2026, 11, 16)));
    }

    [Fact]
    public async Task A_temporary_failure_is_deferred_and_retried_later_as_the_same_message()
    {
        using var app = await AppWithSamplePapersAsync();
        var s = await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        string? firstMessageId = null;
        app.Transport.Answer = m => { firstMessageId = m.MessageId; return DeliveryResult.Deferred("Connection refused 127.0.0.1:25"); };

        var report = await RunAsync(app);
        Assert.Equal(DeliveryStatus.Deferred, report.Lines.Single().Status);
        Assert.True(report.HasProblems);

        app.Transport.Answer = _ => DeliveryResult.Sent("250 ok");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty((await RunAsync(app, dueOnly: true)).Lines); // backoff: not yet
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var retry = await RunAsync(app, dueOnly: true);

        var line = retry.Lines.Single();
        Assert.True(line.Retry);
        Assert.Equal(DeliveryStatus.Sent, line.Status);
        Assert.Equal(firstMessageId, app.Transport.Sent.Single().MessageId);
        var row = (await app.Get<IDeliveryLedger>().GetAsync(s.Id, new DateOnly(2026, 11, 16)))!;
        Assert.Equal(2, row.Attempts);
        Assert.Equal(DeliveryStatus.Sent, row.Status);
    }

    [Fact]
    public async Task A_permanent_failure_is_recorded_with_the_servers_words_and_others_still_get_theirs()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("gone@example.org", topics: ["llm-agents"]);
        await app.AddSubscriberAsync("fine@example.org", topics: ["llm-agents"]);
        app.Transport.Answer = m => m.Recipient().Address == "gone@example.org"
            ? DeliveryResult.FromReply(DeliveryOutcome.Failed, 550, "5.1.1 <gone@example.org>: Recipient address rejected")
            : DeliveryResult.Sent("250 ok");

        var report = await RunAsync(app);

        Assert.Equal(DeliveryStatus.Failed, report.Lines.Single(l => l.Email == "gone@example.org").Status);
        Assert.Equal(["fine@example.org"], app.Transport.Sent.Select(m => m.Recipient().Address));
        var rows = await app.Get<IDeliveryLedger>().ListAsync();
        var gone = rows.Single(r => r.Email == "gone@example.org");
        Assert.Equal("550 5.1.1 <gone@example.org>: Recipient address rejected", gone.LastReply);
        Assert.Equal(550, gone.LastStatusCode);
        Assert.Equal("5.1.1", gone.LastEnhancedStatusCode);
        Assert.DoesNotContain(rows, r => r.IsPending);
    }

    [Fact]
    public async Task A_pending_digest_for_someone_who_unsubscribed_is_cancelled_and_says_why()
    {
        using var app = await AppWithSamplePapersAsync();
        var s = await app.AddSubscriberAsync("leaving@example.org", topics: ["llm-agents"]);
        app.Transport.Answer = _ => DeliveryResult.Deferred("421 try later");
        await RunAsync(app);
        await app.Get<ISubscriberStore>().SetStatusAsync(s.Id, SubscriberStatus.Unsubscribed, app.Clock.GetUtcNow());
        app.Transport.Answer = _ => DeliveryResult.Sent("250 ok");

        app.Clock.Advance(TimeSpan.FromHours(1));
        await RunAsync(app);

        Assert.Empty(app.Transport.Sent);
        var row = (await app.Get<IDeliveryLedger>().ListAsync()).Single();
        Assert.Equal(DeliveryStatus.Cancelled, row.Status);
        Assert.StartsWith("not sent: subscriber is unsubscribed", row.LastReply);
    }

    [Fact]
    public async Task A_claim_whose_claimant_died_is_taken_over_after_its_lease_and_resent_as_the_same_message()
    {
        using var app = await AppWithSamplePapersAsync();
        var s = await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        var ledger = app.Get<IDeliveryLedger>();
        // What a process killed mid-send leaves behind: a digest it claimed and never reported on.
        var row = (await ledger.CreateAsync(LedgerRows.Draft(s, new DateOnly(2026, 11, 16), app.Clock.GetUtcNow(), "2606.10423")
            with { MessageId = "<pm.crash@papers.example.org>" }, claimant: "killed-run"))!;

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var early = await RunAsync(app, dueOnly: true);
        Assert.Empty(app.Transport.Sent); // its lease still runs: it may be in flight elsewhere
        Assert.Equal(1, early.Backlog!.HeldByOthers);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await RunAsync(app, dueOnly: true);

        var resent = app.Transport.Sent.Single();
        Assert.Equal("<pm.crash@papers.example.org>", resent.LedgerMessageId());
        Assert.Contains("WebChallenger", resent.TextBody);
        var after = (await ledger.GetAsync(s.Id, new DateOnly(2026, 11, 16)))!;
        Assert.Equal((DeliveryStatus.Sent, 2, row.Id), (after.Status, after.Attempts, after.Id));
    }

    [Fact]
    public async Task Weekly_subscribers_get_one_digest_per_seven_days()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("weekly@example.org", topics: ["llm-agents"], frequency: DigestFrequency.Weekly, maxPapers: 2);
        await RunAsync(app);
        for (var day = 1; day < 7; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            await RunAsync(app);
        }
        Assert.Single(app.Transport.Sent);

        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.Get<IPaperStore>().UpsertAsync([SamplePapers.Make("2611.00001", "Web agents that remember", "LLM agents with long-term memory browse the web.")], app.Clock.GetUtcNow().AddHours(-1));
        await RunAsync(app);

        Assert.Equal(2, app.Transport.Sent.Count);
        Assert.Equal(2, (await app.Get<IDeliveryLedger>().ListAsync()).Count(d => d.Status == DeliveryStatus.Sent));
    }

    [Fact]
    public async Task Every_digest_carries_one_click_unsubscribe_headers_and_a_visible_link()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);

        await RunAsync(app);

        var message = app.Transport.Sent.Single();
        var listUnsubscribe = message.Headers["List-Unsubscribe"];
        Assert.Matches(@"^<https://papers\.example\.org/unsubscribe\?token=unsubscribe\.\d+\.0\.[A-Za-z0-9_-]+>$", listUnsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var url = listUnsubscribe!.Trim('<', '>');
        Assert.Contains(url, message.TextBody);
        Assert.Contains($"href=\"{url}\"", System.Net.WebUtility.HtmlDecode(message.HtmlBody));
        Assert.Matches(@"^<pm\.20261116\.\d+\.[0-9a-f]{12}@papers\.example\.org>$", message.LedgerMessageId());
        Assert.Matches(@"^.+ and \d+ more papers · 16 Nov$", message.Subject);
    }

    [Fact]
    public async Task A_dry_run_records_and_sends_nothing()
    {
        using var app = await AppWithSamplePapersAsync();
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);

        var report = await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false, DryRun: true), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Queued, report.Lines.Single().Status);
        Assert.Empty(app.Transport.Sent);
        Assert.Empty(await app.Get<IDeliveryLedger>().ListAsync());
    }

    [Fact]
    public async Task A_template_edited_between_runs_is_used_by_the_next_run()
    {
        using var templates = new TempFolder();
        PaperMailer.Tests.Render.DigestRendererTests.CopyTemplates(templates.Path);
        using var app = await AppWithSamplePapersAsync(new Dictionary<string, string?> { ["Templates:Directory"] = templates.Path });
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        await RunAsync(app);

        PaperMailer.Tests.Render.DigestRendererTests.Edit(templates.Path, "digest.subject.sbn", "Edited for {{ subscriber.email }}", 1);
        await app.AddSubscriberAsync("images@example.org", keywords: ["image generation", "diffusion"]);
        await RunAsync(app);

        var subjects = app.Transport.Sent.ToDictionary(m => m.Recipient().Address, m => m.Subject);
        Assert.EndsWith("· 16 Nov", subjects["agents@example.org"]);
        Assert.Equal("Edited for images@example.org", subjects["images@example.org"]);
    }

    [Fact]
    public async Task Broken_templates_stop_the_run_before_anything_is_recorded()
    {
        using var templates = new TempFolder();
        File.WriteAllText(Path.Combine(templates.Path, "digest.subject.sbn"), "x");
        File.WriteAllText(Path.Combine(templates.Path, "digest.txt.sbn"), "x");
        File.WriteAllText(Path.Combine(templates.Path, "digest.html.sbn"), "{{ if papers }}unclosed");
        using var app = await AppWithSamplePapersAsync(new Dictionary<string, string?> { ["Templates:Directory"] = templates.Path });
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);

        var error = await Assert.ThrowsAsync<PaperMailer.Render.TemplateException>(() => RunAsync(app));

        Assert.Contains("digest.html.sbn", error.Message);
        Assert.Empty(app.Transport.Sent);
        Assert.Empty(await app.Get<IDeliveryLedger>().ListAsync());
    }

    [Fact]
    public async Task A_first_digest_says_so_names_its_top_paper_in_the_subject_and_the_next_one_says_since_your_last_digest()
    {
        using var app = await AppWithSamplePapersAsync();
        var agents = await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        // Someone whose first day had nothing for them: their first real digest is still their first.
        var late = await app.AddSubscriberAsync("late@example.org", keywords: ["quantum chromodynamics lattice"]);
        await RunAsync(app);
        var first = app.Transport.Sent.Single();
        var top = (await app.Get<IPaperStore>().GetByIdsAsync([(await app.Get<IDeliveryLedger>().GetAsync(agents.Id, new DateOnly(2026, 11, 16)))!.PaperIds[0]])).Single();

        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.Get<IPaperStore>().UpsertAsync(
        [
            SamplePapers.Make("2611.90001", "AgentPilot: LLM Agents That Browse the Web", "Language agents and web agents that use tools to browse.", app.Clock.GetUtcNow()),
            SamplePapers.Make("2611.90002", "Quantum Chromodynamics on the Lattice", "A lattice study of quantum chromodynamics.", app.Clock.GetUtcNow()),
        ], app.Clock.GetUtcNow());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(app);
        Assert.Equal(["agents@example.org", "agents@example.org", "late@example.org"], app.Transport.Sent.Select(m => m.Recipient().Address).Order());
        var second = app.Transport.Sent.Last(m => m.Recipient().Address == "agents@example.org");
        var lateFirst = app.Transport.Sent.Single(m => m.Recipient().Address == "late@example.org");

        Assert.Contains("this is your first digest", first.TextBody);
        Assert.DoesNotContain("since your last digest", first.TextBody);
        Assert.Contains("this is your first digest", first.HtmlBody);
        Assert.DoesNotContain("since your last digest", first.HtmlBody);
        Assert.StartsWith(PaperMailer.Render.DigestTemplateModel.ShortTitle(top.Title) + " and ", first.Subject);
        Assert.EndsWith(" · 16 Nov", first.Subject);
        Assert.Contains("since your last digest", second.TextBody);
        Assert.DoesNotContain("first digest", second.TextBody);
        Assert.Equal("AgentPilot · 1 new paper · 17 Nov", second.Subject);
        Assert.Contains("this is your first digest", lateFirst.TextBody);
    }
}

public class DigestRunOrderTests
{
    [Fact]
    public void Work_is_interleaved_by_recipient_domain_keeping_order_within_each_domain()
    {
        string[] emails = ["a1@big.org", "a2@big.org", "a3@BIG.org", "b1@small.org", "c1@other.org", "b2@small.org"];

        var ordered = PaperMailer.Digest.Delivering.DomainInterleave.Order(emails, e => e);

        Assert.Equal(["a1@big.org", "b1@small.org", "c1@other.org", "a2@big.org", "b2@small.org", "a3@BIG.org"], ordered);
    }
}
