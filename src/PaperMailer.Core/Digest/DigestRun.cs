using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Digest;

/// <summary>
/// One pass of the digest pipeline: retry what is pending, then for every active subscriber who is due and has no
/// digest for their local date, pick candidates, rank, render, record, send. Safe to run twice or concurrently:
/// the ledger's one-row-per-subscriber-and-date rule decides who sends, and papers are reserved for a subscriber
/// in the same transaction that creates the digest, so no paper is ever sent to anyone twice.
/// Every attempt is written to the ledger before and after it happens; a digest caught by a crash mid-send is
/// resent later as the same message (same Message-ID), never as a second digest.
/// </summary>
public sealed class DigestRun(
    ISubscriberStore subscribers,
    IPaperStore papers,
    IDeliveryLedger ledger,
    ITopicCatalog topics,
    PaperRanker ranker,
    DigestRenderer renderer,
    DigestMessageFactory messages,
    SubscriberLinks links,
    IMailTransport transport,
    SendPacer pacer,
    RecipientDomainLimiter domainLimiter,
    TimeProvider clock,
    IOptions<DigestOptions> digestOptions,
    IOptions<DeliveryOptions> deliveryOptions,
    ILogger<DigestRun> logger)
{
    private readonly DigestOptions _digest = digestOptions.Value;
    private readonly DeliveryOptions _delivery = deliveryOptions.Value;

    public async Task<DigestRunReport> RunAsync(DigestRunRequest request, CancellationToken cancellationToken)
    {
        // Broken templates stop the run before anything is recorded or sent.
        renderer.Validate();
        var report = new DigestRunReport();
        if (!request.DryRun)
        {
            var started = clock.GetUtcNow();
            // A row still "Sending" may be another run's attempt in flight; only one older than any attempt can take
            // is a crash's leftover (or the operator says so with RetryNow).
            var pending = (await ledger.ListPendingAsync(request.RetryNow ? null : started, cancellationToken))
                .Where(d => d.Status != DeliveryStatus.Sending || request.RetryNow || d.UpdatedAt < started - _digest.StaleSendingAfter)
                .ToList();
            await ForEachAsync(InterleaveByDomain(pending, d => d.Email), (delivery, ct) => RetryAsync(delivery, report, ct), cancellationToken);
        }

        var now = clock.GetUtcNow();
        var active = await subscribers.ListAsync(SubscriberStatus.Active, cancellationToken);
        var plans = new List<DigestPlan>();
        foreach (var subscriber in active)
        {
            if (request.DueOnly && request.Date is null && !DigestCalendar.IsDue(subscriber, now)) continue;
            var date = request.Date ?? DigestCalendar.LocalToday(subscriber, now);
            if (await ledger.GetAsync(subscriber.Id, date, cancellationToken) is not null) continue;
            if (subscriber.Frequency == DigestFrequency.Weekly
                && await ledger.GetLatestDigestDateAsync(subscriber.Id, cancellationToken) is { } latest
                && latest > date.AddDays(-7)) continue;
            var windowEnd = request.Date is { } d ? Min(DigestCalendar.EndOfLocalDay(subscriber, d), now) : now;
            var lookback = subscriber.Frequency == DigestFrequency.Weekly ? _digest.WeeklyLookback : _digest.Lookback;
            plans.Add(new DigestPlan(subscriber, date, windowEnd - lookback, windowEnd));
        }
        if (plans.Count == 0) return report;

        // One index serves every subscriber; each then sees only the papers of its own window.
        var index = await BuildIndexAsync(plans.Min(p => p.From), plans.Max(p => p.To), cancellationToken);
        await ForEachAsync(InterleaveByDomain(plans, p => p.Subscriber.Email), (plan, ct) => ServeAsync(plan, index, request.DryRun, report, ct), cancellationToken);
        return report;
    }

    /// <summary>What a subscriber's digest would hold right now, without recording or sending anything.</summary>
    public async Task<(RenderedDigest? Digest, IReadOnlyList<RankedPaper> Papers)> PreviewAsync(Subscriber subscriber, DateOnly? date, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = date ?? DigestCalendar.LocalToday(subscriber, now);
        var windowEnd = date is { } d ? Min(DigestCalendar.EndOfLocalDay(subscriber, d), now) : now;
        var lookback = subscriber.Frequency == DigestFrequency.Weekly ? _digest.WeeklyLookback : _digest.Lookback;
        var plan = new DigestPlan(subscriber, day, windowEnd - lookback, windowEnd);
        var index = await BuildIndexAsync(plan.From, plan.To, cancellationToken);
        var ranked = await RankAsync(plan, index, cancellationToken);
        return ranked.Count == 0
            ? (null, ranked)
            : (renderer.Render(new DigestContent(subscriber, day, ranked, links.UnsubscribeUrl(subscriber.Id)) { ManageUrl = links.ManageUrl(subscriber.Id) }), ranked);
    }

    private async Task ServeAsync(DigestPlan plan, PaperIndex index, bool dryRun, DigestRunReport report, CancellationToken cancellationToken)
    {
        var subscriber = plan.Subscriber;
        var ranked = await RankAsync(plan, index, cancellationToken);
        var draft = new DigestDelivery
        {
            SubscriberId = subscriber.Id,
            Email = subscriber.Email,
            DigestDate = plan.Date,
            MessageId = messages.NewMessageId(subscriber, plan.Date),
            PaperIds = ranked.Select(r => r.Paper.Id).ToList(),
            Status = ranked.Count == 0 ? DeliveryStatus.NothingToSend : DeliveryStatus.Queued,
            CreatedAt = clock.GetUtcNow(),
        };
        if (ranked.Count == 0)
        {
            if (!dryRun) await ledger.TryCreateAsync(draft, cancellationToken);
            report.Add(new DigestRunLine(subscriber.Email, plan.Date, DeliveryStatus.NothingToSend, 0, "no new paper matched the profile"));
            return;
        }
        var unsubscribeUrl = links.UnsubscribeUrl(subscriber.Id);
        var rendered = renderer.Render(new DigestContent(subscriber, plan.Date, ranked, unsubscribeUrl) { ManageUrl = links.ManageUrl(subscriber.Id) });
        if (dryRun)
        {
            report.Add(new DigestRunLine(subscriber.Email, plan.Date, DeliveryStatus.Queued, ranked.Count, "dry run: not recorded, not sent"));
            return;
        }
        var delivery = await ledger.TryCreateAsync(draft, cancellationToken);
        if (delivery is null)
        {
            logger.LogInformation("Digest for {Email} on {Date} was already decided by another run", subscriber.Email, plan.Date);
            return;
        }
        await SendAsync(delivery, subscriber, rendered, unsubscribeUrl, retry: false, report);
    }

    private async Task RetryAsync(DigestDelivery delivery, DigestRunReport report, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.GetByIdAsync(delivery.SubscriberId, cancellationToken);
        if (subscriber is null || subscriber.Status != SubscriberStatus.Active)
        {
            var why = subscriber is null ? "subscriber no longer exists" : $"not sent: subscriber is {subscriber.Status.ToString().ToLowerInvariant()} since {subscriber.StatusChangedAt:u}";
            await ledger.RecordOutcomeAsync(delivery.Id, DeliveryStatus.Cancelled, why, null, null, clock.GetUtcNow(), null, cancellationToken);
            report.Add(new DigestRunLine(delivery.Email, delivery.DigestDate, DeliveryStatus.Cancelled, delivery.PaperIds.Count, why, Retry: true));
            return;
        }
        // The same papers in the same order as first decided; only the explanations are computed again.
        var stored = (await papers.GetByIdsAsync(delivery.PaperIds, cancellationToken)).ToDictionary(p => p.Id);
        var ordered = delivery.PaperIds.Where(stored.ContainsKey).Select(id => stored[id]).ToList();
        var profile = RankingProfile.For(subscriber, topics.All);
        var explained = ranker.Rank(PaperIndex.Build(ordered), profile, ordered.Count, applyThreshold: false).ToDictionary(r => r.Paper.Id);
        var ranked = ordered.Select(p => explained.GetValueOrDefault(p.Id) ?? new RankedPaper(p, 0, [])).ToList();
        var unsubscribeUrl = links.UnsubscribeUrl(subscriber.Id);
        var rendered = renderer.Render(new DigestContent(subscriber, delivery.DigestDate, ranked, unsubscribeUrl) { ManageUrl = links.ManageUrl(subscriber.Id) });
        await SendAsync(delivery, subscriber, rendered, unsubscribeUrl, retry: true, report);
    }

    /// <summary>
    /// One attempt, bracketed by ledger writes. Runs without the caller's cancellation: once an attempt has begun it
    /// is finished and recorded, so a shutdown waits for the send in flight instead of leaving it unknown.
    /// </summary>
    private async Task SendAsync(DigestDelivery delivery, Subscriber subscriber, RenderedDigest rendered, string unsubscribeUrl, bool retry, DigestRunReport report)
    {
        using var domainPlace = await domainLimiter.EnterAsync(subscriber.Email, CancellationToken.None);
        await pacer.WaitTurnAsync(CancellationToken.None);
        var attempt = await ledger.BeginAttemptAsync(delivery.Id, clock.GetUtcNow(), CancellationToken.None);
        // Disposed once sent: MimeKit's messages and parts have finalizers, which a run of thousands would otherwise queue.
        using var message = messages.Create(subscriber, rendered, delivery.MessageId, unsubscribeUrl, delivery.CreatedAt);
        var result = await transport.SendAsync(message, CancellationToken.None);
        var (status, reply, next) = Outcome(result, attempt.Attempts);
        if (status == DeliveryStatus.Failed && await SuppressIfFailingAsync(subscriber, delivery.Id) is { } suppressed)
            reply = $"{reply}; {suppressed}";
        await ledger.RecordOutcomeAsync(delivery.Id, status, reply, result.StatusCode, result.EnhancedStatusCode, clock.GetUtcNow(), next, CancellationToken.None);
        report.Add(new DigestRunLine(subscriber.Email, delivery.DigestDate, status, delivery.PaperIds.Count, reply, retry));
        if (status == DeliveryStatus.Sent)
            logger.LogInformation("Sent digest {MessageId} to {Email} ({Papers} papers): {Reply}", delivery.MessageId, subscriber.Email, delivery.PaperIds.Count, reply);
        else
            logger.LogWarning("Digest {MessageId} to {Email} is {Status} after attempt {Attempt}: {Reply}", delivery.MessageId, subscriber.Email, status, attempt.Attempts, reply);
    }

    /// <summary>
    /// Suppresses an address (subscriber status Bounced) once its digests have failed permanently
    /// <see cref="DeliveryOptions.SuppressAfterFailures"/> times, counting the failure being recorded now.
    /// Returns the sentence that goes into the ledger with this failure, or null when the address stays active.
    /// </summary>
    private async Task<string?> SuppressIfFailingAsync(Subscriber subscriber, long failingDeliveryId)
    {
        if (_delivery.SuppressAfterFailures <= 0) return null;
        var earlier = await ledger.CountFailedAsync(subscriber.Id, failingDeliveryId, CancellationToken.None);
        var failures = earlier + 1;
        if (failures < _delivery.SuppressAfterFailures) return null;
        await subscribers.SetStatusAsync(subscriber.Id, SubscriberStatus.Bounced, clock.GetUtcNow(), CancellationToken.None);
        logger.LogWarning("Suppressed {Email} after {Failures} permanent delivery failures", subscriber.Email, failures);
        return $"address suppressed (subscriber now bounced) after {failures} permanent failures (Delivery:SuppressAfterFailures={_delivery.SuppressAfterFailures})";
    }

    private (DeliveryStatus Status, string Reply, DateTimeOffset? NextAttempt) Outcome(DeliveryResult result, int attempts)
    {
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                return (DeliveryStatus.Sent, result.Reply, null);
            case DeliveryOutcome.Failed:
                return (DeliveryStatus.Failed, result.Reply, null);
            default:
                if (attempts >= _delivery.MaxAttempts)
                    return (DeliveryStatus.Failed, $"gave up after {attempts} attempts; last reply: {result.Reply}", null);
                var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(6).Ticks, _delivery.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
                return (DeliveryStatus.Deferred, result.Reply, clock.GetUtcNow() + delay);
        }
    }

    /// <summary>Indexes the candidates together with the recent papers that give word statistics their meaning.</summary>
    private async Task<PaperIndex> BuildIndexAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var statisticsFrom = to - _digest.StatisticsWindow;
        return PaperIndex.Build(await papers.GetFirstSeenBetweenAsync(statisticsFrom < from ? statisticsFrom : from, to, cancellationToken));
    }

    private async Task<IReadOnlyList<RankedPaper>> RankAsync(DigestPlan plan, PaperIndex index, CancellationToken cancellationToken)
    {
        var alreadySent = await ledger.GetSentPaperIdsAsync(plan.Subscriber.Id, cancellationToken);
        var profile = RankingProfile.For(plan.Subscriber, topics.All);
        return ranker.Rank(index, profile, plan.Subscriber.MaxPapers,
            paper => paper.FirstSeenAt >= plan.From && paper.FirstSeenAt < plan.To && !alreadySent.Contains(paper.Id));
    }

    /// <summary>Works through items with as many in flight as the transport allows; stops starting new ones when cancelled.</summary>
    /// <summary>
    /// Orders work round-robin over recipient domains (first of each domain, then the second of each, …). With a
    /// per-domain limit, a list sorted by signup would otherwise fill every send slot with one big domain's waiters
    /// while other domains' digests queue behind them.
    /// </summary>
    internal static IReadOnlyList<T> InterleaveByDomain<T>(IReadOnlyList<T> items, Func<T, string> email) =>
        items.Select((item, order) => (item, order, domain: Domain(email(item))))
            .GroupBy(x => x.domain, StringComparer.OrdinalIgnoreCase)
            .SelectMany(group => group.Select((x, rank) => (x.item, x.order, rank)))
            .OrderBy(x => x.rank).ThenBy(x => x.order)
            .Select(x => x.item)
            .ToList();

    private static string Domain(string email) => email[(email.LastIndexOf('@') + 1)..];

    private Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, transport.MaxConcurrency), CancellationToken = cancellationToken },
            async (item, ct) => await work(item, ct));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record DigestPlan(Subscriber Subscriber, DateOnly Date, DateTimeOffset From, DateTimeOffset To);
}
