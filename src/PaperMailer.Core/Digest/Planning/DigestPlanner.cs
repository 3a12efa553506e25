using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using PaperMailer.Digest.Delivering;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Planning;

/// <summary>
/// Decides who gets a digest now and what window of papers it covers, reading the subscribers with their ledger
/// history a page at a time (one query per page). The rules:
/// <list type="bullet">
/// <item>a digest's candidates are the papers first collected since the cut-off of the subscriber's previous standing
/// digest (a new subscriber: <see cref="DigestOptions.Lookback"/>), at most <see cref="DigestOptions.StatisticsWindow"/>
/// back; a failed or cancelled digest is not "previous", so its papers come round again;</item>
/// <item>a weekly subscriber who chose a weekday gets digests on that local day only;</item>
/// <item>a subscriber's first digest is due at their delivery hour after they became active (never minutes after
/// confirming because today's hour had already begun);</item>
/// <item>no digest while the previous one is still pending, none for a date that already has one, and none within
/// <see cref="DigestOptions.MinimumGap"/> of the previous standing one, whatever the subscriber's time zone did.</item>
/// </list>
/// The ledger checks the same rules again atomically when it records the digest, so racing runs cannot both decide one.
/// </summary>
public sealed class DigestPlanner(IDeliveryLedger ledger, IOptions<DigestOptions> options, SubscriberRatings? ratings = null)
{
    /// <summary>Subscribers read per query.</summary>
    public const int PageSize = 2000;

    private readonly DigestOptions _options = options.Value;

    /// <summary>
    /// Plans of every active subscriber (of the request's shard, if any) who should get a digest now, in pages
    /// interleaved by recipient domain.
    /// </summary>
    public async IAsyncEnumerable<DigestPlan> PlanAsync(DigestRunRequest request, DateTimeOffset cutoff, DateTimeOffset now, DigestRunProgress progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var timing = progress.Stages.Measure(DigestRunStage.Plan);
            var page = await ledger.ReadHistoryAsync(after, PageSize, cancellationToken);
            if (page.Count == 0) yield break;
            after = page[^1].Subscriber.Id;
            var plans = new List<DigestPlan>(page.Count);
            foreach (var history in page)
            {
                if (request.Shard is { } shard && !shard.Contains(history.Subscriber.Id)) continue;
                if (Decide(history, request, cutoff, now) is { } plan) plans.Add(plan);
                else progress.Examined();
            }
            timing.Dispose();
            if (plans.Count > 0)
            {
                // What the page's due subscribers were ever given, in one query for the page.
                using var reading = progress.Stages.Measure(DigestRunStage.Candidates);
                var sent = await ledger.GetSentPaperIdsAsync(plans.ConvertAll(p => p.Subscriber.Id), OldestCandidate(cutoff), cancellationToken);
                for (var i = 0; i < plans.Count; i++)
                {
                    if (sent.TryGetValue(plans[i].Subscriber.Id, out var ids)) plans[i] = plans[i] with { SentPapers = ids };
                }
                // Their ratings, which their ranking learns from, in one more query for the page.
                var rated = ratings is null ? null : await ratings.ReadAsync(plans.ConvertAll(p => p.Subscriber.Id), cancellationToken);
                for (var i = 0; rated is { Count: > 0 } && i < plans.Count; i++)
                {
                    if (rated.TryGetValue(plans[i].Subscriber.Id, out var mine)) plans[i] = plans[i] with { Ratings = mine };
                }
            }
            foreach (var plan in DomainInterleave.Order(plans, p => p.Subscriber.Email)) yield return plan;
        }
    }

    /// <summary>The plan for one subscriber, or null when they get no digest now.</summary>
    public DigestPlan? Decide(SubscriberHistory history, DigestRunRequest request, DateTimeOffset cutoff, DateTimeOffset now)
    {
        var subscriber = history.Subscriber;
        var today = DigestCalendar.LocalToday(subscriber, now);
        var date = request.Date ?? today;
        if (date > today) return null;
        if (request.Date is null && request.DueOnly && !DigestCalendar.IsDue(subscriber, now)) return null;
        if (request.Date is null && !DigestCalendar.IsTheirDay(subscriber, today)) return null;
        // Someone who confirmed (or resumed) after their hour had begun today gets the first digest at that hour
        // tomorrow, as the confirmation page says. An operator's subscriber (added active: no status change) is due at once.
        if (request.Date is null && request.DueOnly && history.LatestDate is null && subscriber.StatusChangedAt is { } activated
            && now < DigestCalendar.FirstDigestAt(subscriber, activated)) return null;
        if (history.LatestDate is { } latest && latest >= date) return null;
        var previous = history.LatestStanding;
        if (previous is { IsPending: true }) return null;
        var gap = subscriber.Frequency == DigestFrequency.Weekly ? _options.WeeklyMinimumGap : _options.MinimumGap;
        if (previous is not null && previous.CreatedAt > now - gap) return null;
        return Window(subscriber, date, previous, cutoff, now - gap, pastDate: request.Date is { } d && d < today, history.UnservedSince)
            with { FirstDigest = !history.EverGiven };
    }

    /// <summary>The window of a digest for <paramref name="date"/> after <paramref name="previous"/> (the rules aside): what a preview shows.</summary>
    /// <param name="unservedSince">Where the window of a first digest that was given up began (see <see cref="SubscriberHistory.UnservedSince"/>).</param>
    public DigestPlan Window(Subscriber subscriber, DateOnly date, DigestDelivery? previous, DateTimeOffset cutoff, DateTimeOffset gapStart, bool pastDate,
        DateTimeOffset? unservedSince = null)
    {
        var lookback = subscriber.Frequency == DigestFrequency.Weekly ? _options.WeeklyLookback : _options.Lookback;
        var from = previous?.CutoffAt ?? previous?.CreatedAt ?? cutoff - lookback;
        if (previous is null && unservedSince is { } unserved && unserved < from) from = unserved;
        var oldest = OldestCandidate(cutoff);
        if (from < oldest) from = oldest;
        // A past date covers the papers up to the end of that day; the next digest starts where this one stops.
        var end = pastDate && DigestCalendar.EndOfLocalDay(subscriber, date) is var endOfDay && endOfDay < cutoff ? endOfDay : cutoff;
        return new DigestPlan(subscriber, date, from, end < from ? from : end, gapStart);
    }

    /// <summary>No window reaches further back than this: the run's papers start there.</summary>
    public DateTimeOffset OldestCandidate(DateTimeOffset cutoff) => cutoff - _options.StatisticsWindow;

    /// <summary>The latest date a digest can be sent for: today where the day begins first (UTC+14).</summary>
    public static DateOnly LatestDate(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));
}
