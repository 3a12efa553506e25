using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Delivering;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Digest;

/// <summary>
/// One pass of the digest pipeline, streamed through bounded channels so memory stays flat however many subscribers:
/// claim the retries that are due, then plan (<see cref="DigestPlanner"/>, a page of subscribers per query), rank,
/// record and claim new digests in batched transactions, compose (<see cref="DigestComposer"/>, on every core) and
/// deliver (<see cref="DigestDeliverer"/>, one sender per connection), with outcomes recorded in groups.
/// Safe to run twice or concurrently, in one process or many: a digest is sent only by the run holding its claim.
/// Cancelling stops it starting new work; attempts under way are finished and recorded, claims not yet attempted are
/// given back.
/// </summary>
/// <remarks>A run that decided or attempted anything leaves a summary row (<see cref="IDigestRunLog"/>) for the operator status.</remarks>
public sealed partial class DigestRun(DigestPlanner planner, DigestComposer composer, DigestDeliverer deliverer, IDeliveryLedger ledger, IDigestArchive archive,
    ISubscriberStore subscribers, MailMessageFactory messages, IDigestRunLog runLog, DigestMetrics metrics, TimeProvider clock, IOptions<DigestOptions> options,
    ILogger<DigestRun> logger)
{
    /// <summary>Digests created or claimed per ledger transaction.</summary>
    public const int BatchSize = 256;

    private readonly DigestOptions _options = options.Value;

    public Task<DigestRunReport> RunAsync(DigestRunRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, new DigestRunProgress(), cancellationToken);

    /// <exception cref="TemplateException">No usable templates: nothing was decided or sent.</exception>
    /// <exception cref="ArgumentException">The request's date has not begun anywhere yet.</exception>
    public async Task<DigestRunReport> RunAsync(DigestRunRequest request, DigestRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        composer.Validate();
        var now = clock.GetUtcNow();
        if (request.Date is { } date && date > DigestPlanner.LatestDate(now))
            throw new ArgumentException(FutureDateMessage(date, now), nameof(request));
        var report = new DigestRunReport();
        var claimant = new DigestClaimant(_options.ClaimLease);
        var cutoff = request.DryRun ? now : await ledger.TakeCutoffAsync(now, cancellationToken);
        RunPapers papers;
        using (progress.Stages.Measure(DigestRunStage.Candidates)) papers = await composer.LoadAsync(cutoff, cancellationToken);
        // A shard's part of the active subscribers is known only as they are read: its even share is the estimate.
        progress.AddToTotal(await subscribers.CountAsync(SubscriberStatus.Active, cancellationToken) / request.RateShares);

        var run = new Pipeline(request, report, progress, claimant, papers, deliverer.StartPacer(request.RateShares),
            request.DryRun ? null : deliverer.StartRecorder(claimant.Id, progress.Stages), cancellationToken);
        using var logging = new CancellationTokenSource();
        var progressLog = LogProgressAsync(progress, logging.Token);
        try
        {
            var produce = ProduceAsync(run, cutoff, now);
            var compose = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() => ComposeAsync(run))).ToList();
            var deliver = Enumerable.Range(0, request.DryRun ? 0 : deliverer.Concurrency).Select(_ => Task.Run(() => DeliverAsync(run))).ToList();
            try
            {
                await produce;
            }
            finally
            {
                run.Work.Writer.TryComplete();
            }
            try
            {
                await Task.WhenAll(compose);
            }
            finally
            {
                run.Ready.Writer.TryComplete();
            }
            await Task.WhenAll(deliver);
        }
        finally
        {
            if (run.Recorder is { } recorder) await recorder.CompleteAsync();
            await logging.CancelAsync();
            await progressLog;
        }

        if (!run.Unstarted.IsEmpty)
        {
            await ledger.ReleaseAsync(claimant.Id, run.Unstarted.ToList(), CancellationToken.None);
            report.Released = run.Unstarted.Count;
        }
        report.Stopped = cancellationToken.IsCancellationRequested;
        // The backlog is the whole ledger's: a shard's run would report every other shard's claims and waits as its own.
        if (!request.DryRun && request.Shard is null) report.Backlog = await ledger.BacklogAsync(claimant.Id, clock.GetUtcNow(), CancellationToken.None);
        if (!request.DryRun) await RecordRunAsync(report, claimant.Id, now, progress.Elapsed);
        // A shard's job logs its summary itself (and a cluster runs every shard at every check: one that found nobody
        // due says so at Debug only).
        if (request.Shard is null) LogFinished(logger, progress.Elapsed.TotalSeconds, report.Summary(request.DryRun));
        else if (report.Total == 0 && report.LeftToOthersCount == 0) LogNothingDue(logger, request.Shard.ToString());
        LogStages(logger, progress.Stages.ToString());
        return report;
    }

    private async Task RecordRunAsync(DigestRunReport report, string claimantId, DateTimeOffset startedAt, TimeSpan elapsed)
    {
        metrics.RunFinished(elapsed);
        var summary = new DigestRunSummary(claimantId, startedAt, clock.GetUtcNow(), report.Count(DeliveryStatus.Sent), report.Count(DeliveryStatus.Deferred),
            report.Count(DeliveryStatus.Failed), report.Count(DeliveryStatus.NothingToSend), report.Count(DeliveryStatus.Cancelled), report.LeftToOthersCount,
            report.Released, report.Stopped);
        // Checks every few minutes that find nobody due would bury the runs that matter.
        if (summary.DidAnything) await runLog.RecordAsync(summary, CancellationToken.None);
    }

    /// <summary>The sentence that refuses a future date.</summary>
    public static string FutureDateMessage(DateOnly date, DateTimeOffset now) =>
        $"--date {date:yyyy-MM-dd} is in the future: a digest can be sent only for a day that has begun for its reader, at the latest {DigestPlanner.LatestDate(now):yyyy-MM-dd} today.";

    private async Task ProduceAsync(Pipeline run, DateTimeOffset cutoff, DateTimeOffset now)
    {
        await Task.Yield();
        try
        {
            if (!run.Request.DryRun) await ClaimRetriesAsync(run, now);
            var plans = new List<DigestPlan>(BatchSize);
            await foreach (var plan in planner.PlanAsync(run.Request, cutoff, now, run.Progress, run.Stopping))
            {
                plans.Add(plan);
                if (plans.Count == BatchSize)
                {
                    await RankAndCreateAsync(run, plans);
                    plans.Clear();
                }
            }
            if (!run.Stopping.IsCancellationRequested) await RankAndCreateAsync(run, plans);
        }
        catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested)
        {
            // Stopped: what is claimed so far is delivered or given back by the other stages.
        }
    }

    /// <summary>
    /// Ranks a batch of plans (their profiles' vectors read or made first, in one go) and records their digests, or, in a
    /// dry run, passes them on to be rendered.
    /// </summary>
    private async Task RankAndCreateAsync(Pipeline run, List<DigestPlan> plans)
    {
        if (plans.Count == 0) return;
        var profiles = plans.Select(composer.ProfileOf).ToList();
        using (run.Progress.Stages.Measure(DigestRunStage.Rank)) await composer.PrepareAsync(profiles, run.Papers, run.Stopping);
        var batch = new List<(DigestPlan Plan, DigestPapers Ranked)>(plans.Count);
        for (var i = 0; i < plans.Count; i++)
        {
            DigestPapers ranked;
            using (run.Progress.Stages.Measure(DigestRunStage.Rank)) ranked = composer.Rank(plans[i], run.Papers, profiles[i]);
            if (run.Request.DryRun) await WriteDryRunAsync(run, plans[i], ranked);
            else batch.Add((plans[i], ranked));
        }
        await CreateAsync(run, batch);
    }

    private async Task ClaimRetriesAsync(Pipeline run, DateTimeOffset runStart)
    {
        while (!run.Stopping.IsCancellationRequested)
        {
            var at = clock.GetUtcNow();
            // With --retry-now every deferred digest is due, but one this run already tried again is not taken twice.
            IReadOnlyList<DigestDelivery> claimed;
            using (run.Progress.Stages.Measure(DigestRunStage.Ledger))
                claimed = await ledger.ClaimDueAsync(run.Claimant.At(at), run.Request.RetryNow ? null : at, runStart, BatchSize, CancellationToken.None);
            if (claimed.Count == 0) return;
            run.Progress.AddToTotal(claimed.Count);
            var people = await subscribers.GetByIdsAsync(claimed.Select(d => d.SubscriberId).Distinct().ToList(), CancellationToken.None);
            foreach (var delivery in claimed)
            {
                if (people.GetValueOrDefault(delivery.SubscriberId) is { Status: SubscriberStatus.Active } subscriber)
                {
                    var first = await archive.IsFirstAsync(subscriber.Id, delivery.Id, CancellationToken.None);
                    await run.Work.Writer.WriteAsync(new Work(delivery, subscriber, null, Retry: true, first), CancellationToken.None);
                    continue;
                }
                var why = people.GetValueOrDefault(delivery.SubscriberId) is { } gone
                    ? $"not sent: subscriber is {gone.Status.ToString().ToLowerInvariant()} since {gone.StatusChangedAt:u}"
                    : "subscriber no longer exists";
                metrics.Cancelled();
                await RecordWithoutSendingAsync(run, delivery, DeliveryStatus.Cancelled, why, retry: true);
            }
        }
    }

    private async Task CreateAsync(Pipeline run, List<(DigestPlan Plan, DigestPapers Ranked)> batch)
    {
        if (batch.Count == 0) return;
        var at = clock.GetUtcNow();
        var drafts = batch.Select(b => new DigestDraft(new DigestDelivery
        {
            SubscriberId = b.Plan.Subscriber.Id,
            Email = b.Plan.Subscriber.Email,
            DigestDate = b.Plan.Date,
            MessageId = messages.NewDigestMessageId(b.Plan.Subscriber.Id, b.Plan.Date),
            PaperIds = b.Ranked.Ids,
            TrendingCount = b.Ranked.Trending.Count,
            PaperMatches = b.Ranked.Matches,
            Status = b.Ranked.Count == 0 ? DeliveryStatus.NothingToSend
                : b.Plan.Subscriber.Frequency == DigestFrequency.FeedOnly ? DeliveryStatus.FeedOnly : DeliveryStatus.Sending,
            CreatedAt = at,
            WindowFrom = b.Plan.WindowFrom,
            CutoffAt = b.Plan.CutoffAt,
        }, b.Plan.GapStart)).ToList();
        IReadOnlyList<CreateResult> results;
        using (run.Progress.Stages.Measure(DigestRunStage.Ledger)) results = await ledger.CreateAsync(drafts, run.Claimant.At(at), CancellationToken.None);
        for (var i = 0; i < results.Count; i++)
        {
            var (plan, ranked) = batch[i];
            switch (results[i])
            {
                case { Outcome: CreateOutcome.Created, Delivery: { Status: DeliveryStatus.NothingToSend } empty }:
                    run.Report.Add(new DigestRunLine(empty.Email, empty.DigestDate, DeliveryStatus.NothingToSend, 0, "no new paper matched the profile"));
                    run.Progress.Count(DeliveryStatus.NothingToSend);
                    metrics.NothingToSend();
                    break;
                case { Outcome: CreateOutcome.Created, Delivery: { Status: DeliveryStatus.FeedOnly } forFeed }:
                    // Recorded for the subscriber's feed and archive; no email, so never counted as sent.
                    run.Report.Add(new DigestRunLine(forFeed.Email, forFeed.DigestDate, DeliveryStatus.FeedOnly, forFeed.PaperIds.Count, "feed only: recorded for the feed, no email"));
                    run.Progress.Examined();
                    break;
                case { Outcome: CreateOutcome.Created, Delivery: { } created }:
                    await run.Work.Writer.WriteAsync(new Work(created, plan.Subscriber, ranked, Retry: false, plan.FirstDigest), CancellationToken.None);
                    break;
                case { Outcome: CreateOutcome.AlreadyDecided }:
                    run.Report.AddLeftToOthers(plan.Subscriber.Email, plan.Date, "decided by another run");
                    run.Progress.LeftToAnother();
                    break;
                case { Outcome: CreateOutcome.PaperAlreadyGiven }:
                    run.Report.AddLeftToOthers(plan.Subscriber.Email, plan.Date, "another run gave them one of its papers meanwhile; decided next time");
                    run.Progress.LeftToAnother();
                    break;
                default:
                    run.Progress.Examined();
                    break;
            }
        }
    }

    private async Task WriteDryRunAsync(Pipeline run, DigestPlan plan, DigestPapers ranked)
    {
        if (ranked.Count == 0)
        {
            run.Report.Add(new DigestRunLine(plan.Subscriber.Email, plan.Date, DeliveryStatus.NothingToSend, 0, "no new paper matched the profile"));
            run.Progress.Count(DeliveryStatus.NothingToSend);
            return;
        }
        if (plan.Subscriber.Frequency == DigestFrequency.FeedOnly)
        {
            run.Report.Add(new DigestRunLine(plan.Subscriber.Email, plan.Date, DeliveryStatus.FeedOnly, ranked.Count, "dry run: would be recorded for the feed, no email"));
            run.Progress.Examined();
            return;
        }
        var draft = new DigestDelivery { SubscriberId = plan.Subscriber.Id, Email = plan.Subscriber.Email, DigestDate = plan.Date, MessageId = "" };
        await run.Work.Writer.WriteAsync(new Work(draft, plan.Subscriber, ranked, Retry: false, plan.FirstDigest), CancellationToken.None);
    }

    private async Task ComposeAsync(Pipeline run)
    {
        await foreach (var work in run.Work.Reader.ReadAllAsync())
        {
            if (run.Stopping.IsCancellationRequested)
            {
                if (work.Delivery.Id != 0) run.Unstarted.Add(work.Delivery.Id);
                continue;
            }
            DigestPapers ranked;
            RenderedDigest rendered;
            string unsubscribeUrl;
            try
            {
                using (run.Progress.Stages.Measure(DigestRunStage.Rank))
                    ranked = work.Ranked ?? await composer.RecordedAsync(work.Subscriber, work.Delivery, run.Papers, CancellationToken.None);
                using (run.Progress.Stages.Measure(DigestRunStage.Render))
                    (rendered, unsubscribeUrl) = composer.Render(work.Subscriber, work.Delivery.DigestDate, ranked, new DigestEdition(work.Delivery.Id, work.FirstDigest));
            }
            catch (TemplateException e)
            {
                metrics.NotRendered();
                await RecordWithoutSendingAsync(run, work.Delivery, DeliveryStatus.Deferred, $"not rendered: {e.Message}", work.Retry);
                continue;
            }
            if (run.Request.DryRun)
            {
                run.Report.Add(new DigestRunLine(work.Delivery.Email, work.Delivery.DigestDate, DeliveryStatus.Queued, ranked.Count, "dry run: not recorded, not sent"));
                run.Progress.Examined();
                continue;
            }
            MimeMessage message;
            using (run.Progress.Stages.Measure(DigestRunStage.Render)) message = deliverer.BuildMessage(work.Delivery, work.Subscriber, rendered, unsubscribeUrl);
            await run.Ready.Writer.WriteAsync(new ComposedDigest(work.Delivery, work.Subscriber, ranked, message, work.Retry), CancellationToken.None);
        }
    }

    private async Task DeliverAsync(Pipeline run)
    {
        await foreach (var digest in run.Ready.Reader.ReadAllAsync())
        {
            if (run.Stopping.IsCancellationRequested)
            {
                run.Unstarted.Add(digest.Delivery.Id);
                digest.Message.Dispose();
                continue;
            }
            await deliverer.DeliverAsync(digest, run.Claimant, run.Pacer, run.Recorder!, run.Progress.Stages,
                (outcome, sent) => Recorded(run, sent.Delivery, outcome, sent.Retry),
                lost =>
                {
                    run.Report.AddLeftToOthers(lost.Delivery.Email, lost.Delivery.DigestDate, "taken over by another run after this run's claim ran out");
                    run.Progress.LeftToAnother();
                });
        }
    }

    /// <summary>An outcome reached without a send (a cancelled digest, a render that failed), recorded like any other.</summary>
    private async Task RecordWithoutSendingAsync(Pipeline run, DigestDelivery delivery, DeliveryStatus status, string reply, bool retry)
    {
        var at = clock.GetUtcNow();
        await run.Recorder!.EnterAsync();
        run.Recorder.Add(new AttemptOutcome(delivery.Id, delivery.SubscriberId, status, reply, null, null, at,
            status == DeliveryStatus.Deferred ? at + TimeSpan.FromMinutes(5) : null), o => Recorded(run, delivery, o, retry));
    }

    private static void Recorded(Pipeline run, DigestDelivery delivery, AttemptOutcome outcome, bool retry)
    {
        run.Report.Add(new DigestRunLine(delivery.Email, delivery.DigestDate, outcome.Status, delivery.PaperIds.Count, outcome.Reply, retry));
        run.Progress.Count(outcome.Status);
    }

    private async Task LogProgressAsync(DigestRunProgress progress, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.ProgressInterval > TimeSpan.Zero ? _options.ProgressInterval : TimeSpan.FromSeconds(5));
            while (await timer.WaitForNextTickAsync(stop)) LogProgress(logger, progress.ToString());
        }
        catch (OperationCanceledException)
        {
            // The run is over; the summary follows.
        }
    }

    /// <summary>A digest on its way: claimed (or, in a dry run, only drafted), with its ranked papers unless it is a retry.</summary>
    private sealed record Work(DigestDelivery Delivery, Subscriber Subscriber, DigestPapers? Ranked, bool Retry, bool FirstDigest);

    private sealed class Pipeline(DigestRunRequest request, DigestRunReport report, DigestRunProgress progress, DigestClaimant claimant, RunPapers papers,
        SendPacer pacer, OutcomeRecorder? recorder, CancellationToken stopping)
    {
        public DigestRunRequest Request { get; } = request;
        public DigestRunReport Report { get; } = report;
        public DigestRunProgress Progress { get; } = progress;
        public DigestClaimant Claimant { get; } = claimant;
        public RunPapers Papers { get; } = papers;
        public SendPacer Pacer { get; } = pacer;
        public OutcomeRecorder? Recorder { get; } = recorder;
        public CancellationToken Stopping { get; } = stopping;
        public Channel<Work> Work { get; } = Channel.CreateBounded<Work>(new BoundedChannelOptions(2 * BatchSize) { SingleWriter = true });
        public Channel<ComposedDigest> Ready { get; } = Channel.CreateBounded<ComposedDigest>(64);
        public ConcurrentBag<long> Unstarted { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest run: {Progress}")]
    private static partial void LogProgress(ILogger logger, string progress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Digest run's time by stage, summed over threads: {Stages}")]
    private static partial void LogStages(ILogger logger, string stages);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Digest run of {Shard}: nobody due")]
    private static partial void LogNothingDue(ILogger logger, string shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest run finished in {Seconds:0.0} s: {Summary}")]
    private static partial void LogFinished(ILogger logger, double seconds, string summary);
}
