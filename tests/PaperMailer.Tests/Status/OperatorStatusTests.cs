using System.Globalization;
using System.Text.RegularExpressions;
using PaperMailer.Cli;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Status;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Status;

/// <summary>The operator status (`papermailer status`, the status page, /healthz): sources, runs, failures, and "retry failed only".</summary>
public sealed class OperatorStatusTests
{
    // Monday 16 November 2026, 10:00 UTC; Hugging Face is collected at minute 10 of every hour.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_source_whose_fetch_fails_is_degraded_once_it_missed_two_scheduled_runs_and_its_last_error_is_shown()
    {
        using var app = new TestApp(Morning, configure: s => s.AddOperatorStatus());
        var failing = new FailingSource(HuggingFaceDailyPapersSource.SourceName, "503 Service Unavailable from https://huggingface.co/api/daily_papers");

        var result = await app.Get<PaperCollector>().CollectOneAsync(failing, CancellationToken.None);
        var atOnce = await app.Get<OperatorStatusReader>().ReadAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var oneMissed = await app.Get<OperatorStatusReader>().ReadAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var twoMissed = await app.Get<OperatorStatusReader>().ReadAsync(CancellationToken.None);

        Assert.True(result.Failed);
        Assert.False(atOnce.Degraded);
        Assert.False(oneMissed.Degraded);
        Assert.True(twoMissed.Degraded);
        var hf = twoMissed.Sources.Single(s => s.Source == "hf");
        Assert.True(hf.Overdue);
        Assert.Equal(1, hf.Status!.ConsecutiveFailures);
        Assert.Null(hf.Status.LastSuccessAt);
        Assert.Equal("503 Service Unavailable from https://huggingface.co/api/daily_papers", hf.Status.LastError);
        var problem = Assert.Single(twoMissed.Problems);
        Assert.Contains("source hf has missed 2 scheduled runs (never succeeded); last error: 503 Service Unavailable", problem);
        // The other sources were never tried: not overdue before they have had a chance.
        Assert.DoesNotContain(twoMissed.Sources, s => s.Source != "hf" && s.Overdue);
    }

    [Fact]
    public async Task A_success_clears_the_verdict_but_keeps_the_last_error_for_the_operator()
    {
        using var app = new TestApp(Morning, configure: s => s.AddOperatorStatus());
        var collector = app.Get<PaperCollector>();
        await collector.CollectOneAsync(new FailingSource("hf", "connection refused"), CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(3));
        await collector.CollectOneAsync(new WorkingSource("hf", SamplePapers.Load().Take(3).ToList()), CancellationToken.None);

        var status = await app.Get<OperatorStatusReader>().ReadAsync(CancellationToken.None);

        Assert.False(status.Degraded);
        var hf = status.Sources.Single(s => s.Source == "hf").Status!;
        Assert.Equal((Morning.AddHours(3), 3, 0, "connection refused"), (hf.LastSuccessAt!.Value, hf.LastNew, hf.ConsecutiveFailures, hf.LastError));
    }

    [Fact]
    public async Task A_runs_counts_appear_in_the_status_and_a_run_failing_above_the_threshold_degrades_it()
    {
        using var app = new TestApp(Morning, configure: s => s.AddOperatorStatus());
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        await app.AddSubscriberAsync("images@lab.example.net", keywords: ["image generation", "diffusion"]);
        await app.AddSubscriberAsync("nothing@example.org", keywords: ["seismology of icy moons"]);
        app.Transport.Answer = m => m.Recipient().Address.EndsWith("@lab.example.net", StringComparison.Ordinal)
            ? DeliveryResult.FromReply(DeliveryOutcome.Failed, 554, "5.7.1 message refused")
            : DeliveryResult.FromReply(DeliveryOutcome.Sent, 250, "2.0.0 accepted");

        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        // A run that finds nobody due leaves no row: it would bury the runs that did something.
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);
        var status = await app.Get<OperatorStatusReader>().ReadAsync(CancellationToken.None);

        var run = Assert.Single(status.Runs);
        Assert.Equal((3, 1, 0, 1, 1), (run.Due, run.Sent, run.Deferred, run.Failed, run.NothingToSend));
        Assert.True(status.Degraded);
        Assert.Contains(status.Problems, p => p.Contains("failed 1 of 2 digests (50%), more than Health:MaxFailedShare (10%)", StringComparison.Ordinal));
        var domain = Assert.Single(status.Domains);
        Assert.Equal(("lab.example.net", 1, 0, 0), (domain.Domain, domain.Failed, domain.RecipientRefused, domain.Deferred));
    }

    [Fact]
    public async Task Retry_failed_only_makes_only_that_dates_failed_digests_due_again_and_each_is_sent_once()
    {
        using var app = new TestApp(Morning, configure: s => s.AddOperatorStatus());
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        var ledger = app.Get<IDeliveryLedger>();
        // Yesterday's failed digest of someone else: not that date, so it stays failed.
        var other = await app.AddSubscriberAsync("yesterday@example.org", keywords: ["seismology of icy moons"], hour: 23);
        var old = (await ledger.CreateAsync(LedgerRows.Draft(other, new DateOnly(2026, 11, 15), Morning.AddHours(-20))))!;
        await ledger.RecordAsync(old, DeliveryStatus.Failed, "554 5.7.1 refused", Morning.AddHours(-20), 554, "5.7.1");
        await app.AddSubscriberAsync("agents@example.org", topics: ["llm-agents"]);
        await app.AddSubscriberAsync("images@example.org", keywords: ["image generation", "diffusion"]);
        await app.AddSubscriberAsync("fine@example.org", topics: ["llm-agents"]);
        var refusing = true;
        app.Transport.Answer = m => refusing && m.Recipient().Address != "fine@example.org"
            ? DeliveryResult.FromReply(DeliveryOutcome.Failed, 554, "5.7.1 relay refused while misconfigured")
            : DeliveryResult.FromReply(DeliveryOutcome.Sent, 250, "2.0.0 accepted");
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true), CancellationToken.None);
        var failedToday = (await ledger.ListAsync(new DateOnly(2026, 11, 16))).Where(d => d.Status == DeliveryStatus.Failed).ToList();
        Assert.Equal(["agents@example.org", "images@example.org"], failedToday.Select(d => d.Email).Order());
        Assert.Single(app.Transport.Sent);

        refusing = false;
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var retry = await ledger.RetryFailedAsync(new DateOnly(2026, 11, 16), app.Clock.GetUtcNow());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true), CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true, RetryNow: true), CancellationToken.None);

        Assert.Equal((2, 0), (retry.MadeDue, retry.Skipped.Count));
        var sent = app.Transport.Sent.ToList();
        Assert.Equal(3, sent.Count);
        foreach (var digest in failedToday)
        {
            // Once each, as the same message, and recorded as sent.
            Assert.Single(sent, m => m.MessageId == digest.MessageId.Trim('<', '>'));
            Assert.Equal(DeliveryStatus.Sent, (await ledger.GetAsync(digest.SubscriberId, digest.DigestDate))!.Status);
        }
        Assert.Equal(DeliveryStatus.Failed, (await ledger.GetAsync(other.Id, new DateOnly(2026, 11, 15)))!.Status);
        Assert.DoesNotContain(sent, m => m.Recipient().Address == "yesterday@example.org");
    }

    [Fact]
    public async Task Retry_failed_only_leaves_a_digest_failed_when_its_subscriber_left_or_a_later_digest_went_out()
    {
        using var app = new TestApp(Morning, configure: s => s.AddOperatorStatus());
        var ledger = app.Get<IDeliveryLedger>();
        var left = await app.AddSubscriberAsync("left@example.org", keywords: ["agents"]);
        var moved = await app.AddSubscriberAsync("moved@example.org", keywords: ["agents"]);
        var day = new DateOnly(2026, 11, 14);
        foreach (var s in new[] { left, moved })
        {
            var failed = (await ledger.CreateAsync(LedgerRows.Draft(s, day, Morning.AddDays(-2))))!;
            await ledger.RecordAsync(failed, DeliveryStatus.Failed, "554 refused", Morning.AddDays(-2), 554);
        }
        await app.Get<ISubscriberStore>().SetStatusAsync(left.Id, SubscriberStatus.Unsubscribed, Morning.AddDays(-1));
        var later = (await ledger.CreateAsync(LedgerRows.Draft(moved, new DateOnly(2026, 11, 15), Morning.AddDays(-1))))!;
        await ledger.RecordAsync(later, DeliveryStatus.Sent, "250 ok", Morning.AddDays(-1));

        var retry = await ledger.RetryFailedAsync(day, Morning);

        Assert.Equal(0, retry.MadeDue);
        Assert.Equal(["left@example.org: the subscriber is unsubscribed, not active",
            "moved@example.org: a later digest of theirs is pending or went out since, and took back this one's papers"], retry.Skipped);
        Assert.All(await ledger.ListAsync(day), d => Assert.Equal(DeliveryStatus.Failed, d.Status));
    }

    [Fact]
    public async Task The_status_command_says_degraded_with_the_sources_last_error_and_the_runs_counts()
    {
        using var folder = new TempFolder();
        await using var store = await TestStore.CreateAsync(folder.Path);
        var now = DateTimeOffset.UtcNow;
        await store.Get<ISourceStatusLog>().RecordFailureAsync("arxiv", now.AddDays(-8), "arXiv answered 503 three times (https://export.arxiv.org/api/query)");
        await store.Get<IDigestRunLog>().RecordAsync(new DigestRunSummary("host:1:run", now.AddMinutes(-10), now.AddMinutes(-9), 7, 2, 1, 4, 0, 0, 0, false));
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(["status", .. store.Arguments, $"--Web:SigningKeyFile={folder.File("signing.key")}"], output, output);

        var text = output.ToString();
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.StartsWith("Degraded", text, StringComparison.Ordinal);
        // Eight days hold at least five of arXiv's announcement evenings (Sunday to Thursday, New York time).
        var missed = int.Parse(Regex.Match(text, @"source arxiv has missed (\d+) scheduled runs \(never succeeded\); last error: arXiv answered 503 three times").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(missed, 5, 7);
        Assert.Contains("due=14 sent=7 deferred=2 failed=1 nothing-to-send=4", text);
        Assert.Contains("last error", text.Split('\n').Single(l => l.TrimStart().StartsWith("arxiv ", StringComparison.Ordinal)));
    }

    private sealed class FailingSource(string name, string error) : IPaperSource
    {
        public string Name => name;

        public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => throw new SourceUnavailableException(error);
    }

    private sealed class WorkingSource(string name, IReadOnlyList<Paper> papers) : IPaperSource
    {
        public string Name => name;

        public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(papers);
    }
}
