using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// The record of every digest: one row per subscriber and local date, the papers each subscriber was given, and who
/// may send what. A digest is sent only by the run that holds its claim (a conditional update only one run can win,
/// with a lease), and every attempt is written down before it starts and after it ends.
/// </summary>
public interface IDeliveryLedger
{
    Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default);

    /// <summary>Ids of every paper the subscriber holds in a standing digest (pending, sent); never given to them again.</summary>
    Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same for each of <paramref name="subscriberIds"/> (a page's plans: only the subscribers due, so a check that
    /// finds few due, or a shard's run, reads only theirs), limited to papers first collected at or after
    /// <paramref name="firstSeenSince"/> (older ones cannot be candidates): one query. Subscribers holding none of
    /// those papers are left out.
    /// </summary>
    Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> GetSentPaperIdsAsync(IReadOnlyList<long> subscriberIds, DateTimeOffset firstSeenSince,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the run's cut-off: <paramref name="now"/>, or the latest cut-off already taken when the clock is behind it.
    /// Papers stored after this call are stamped at or after the cut-off, so they belong to the next window.
    /// </summary>
    Task<DateTimeOffset> TakeCutoffAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Active subscribers with an id above <paramref name="afterSubscriberId"/>, in id order, at most
    /// <paramref name="limit"/>, each with their latest standing digest and the date of their latest digest of any status:
    /// what planning needs, in one query per page.
    /// </summary>
    Task<IReadOnlyList<SubscriberHistory>> ReadHistoryAsync(long afterSubscriberId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records new digests in one transaction and reserves their papers; a digest of status Sending is claimed by
    /// <paramref name="claim"/> from the start. Each is recorded only when, at that moment, the subscriber is still active
    /// and has no digest for that date, no pending digest, no standing digest decided after its gap start, and no standing
    /// digest whose window reaches past its window start: two runs racing for one subscriber can never both record one.
    /// </summary>
    Task<IReadOnlyList<CreateResult>> CreateAsync(IReadOnlyList<DigestDraft> drafts, DigestClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending digests for another attempt (attempts + 1, status Sending, lease):
    /// deferred ones whose retry time has come (all of them when <paramref name="dueAt"/> is null), queued ones nobody
    /// holds, and ones whose claimant's lease ran out. A digest another run holds under a live lease is never taken.
    /// </summary>
    /// <param name="untouchedSince">Only digests last changed before this instant (the run's start): none is tried twice in one run.</param>
    Task<IReadOnlyList<DigestDelivery>> ClaimDueAsync(DigestClaim claim, DateTimeOffset? dueAt, DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken = default);

    /// <summary>Extends the claimant's lease on a digest it still holds; false when it no longer holds it.</summary>
    Task<bool> RenewAsync(long deliveryId, DigestClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records attempts' outcomes in one transaction (group commit), each only while <paramref name="claimantId"/> still
    /// holds the digest; gives back the papers of failed and cancelled digests and suppresses the addresses marked so.
    /// Returns how many were recorded.
    /// </summary>
    Task<int> RecordOutcomesAsync(string claimantId, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Gives back claims whose attempt never started (a run stopping early): queued or deferred again, attempt uncounted.</summary>
    Task ReleaseAsync(string claimantId, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken = default);

    /// <summary>What is pending that this claimant cannot take now: digests other runs hold, and deferred ones not yet due.</summary>
    Task<LedgerBacklog> BacklogAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many of the subscriber's digests failed because the server refused the address, not counting
    /// <paramref name="exceptDeliveryId"/>: what suppression after repeated failures counts.
    /// </summary>
    Task<int> CountRecipientFailuresAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// "Retry failed only": makes the Failed digests of <paramref name="digestDate"/> due again (Deferred, due at
    /// <paramref name="now"/>, a fresh set of attempts, the same Message-ID), so the next run claims and sends them like
    /// any retry. Their papers are reserved again, in the same transaction. A digest is left failed, and said why, when
    /// its subscriber is no longer active, when a later digest of theirs stands (its window took those papers back), or
    /// when one of its papers was given to them since: never a paper twice, never two pending digests for one person.
    /// </summary>
    Task<RetryFailedResult> RetryFailedAsync(DateOnly digestDate, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Failed and deferred digests of dates from <paramref name="since"/> on, counted per recipient domain, most failures first.</summary>
    Task<IReadOnlyList<DomainFailures>> FailuresByDomainAsync(DateOnly since, int max, CancellationToken cancellationToken = default);
}

/// <param name="MadeDue">Digests made due again.</param>
/// <param name="Skipped">"email: why" for each failed digest left as it was.</param>
public sealed record RetryFailedResult(int MadeDue, IReadOnlyList<string> Skipped);

/// <param name="RecipientRefused">Of the failed ones, how many the server refused because of the address itself.</param>
public sealed record DomainFailures(string Domain, int Failed, int Deferred, int RecipientRefused);

/// <summary>A run's claim: who (one id per run) and until when it holds what it claims at <paramref name="Now"/>.</summary>
public sealed record DigestClaim(string ClaimantId, DateTimeOffset Now, DateTimeOffset LeaseUntil);

/// <param name="Delivery">The new row (status Sending for a digest to send, NothingToSend for an empty one).</param>
/// <param name="GapStart">No standing digest of the subscriber may have been decided after this instant.</param>
public sealed record DigestDraft(DigestDelivery Delivery, DateTimeOffset GapStart);

public enum CreateOutcome
{
    Created,
    /// <summary>Another digest (maybe another run's, just now) already covers this subscriber: the date, the gap, or the window.</summary>
    AlreadyDecided,
    /// <summary>The subscriber is no longer active.</summary>
    NotActive,
    /// <summary>One of its papers was given to the subscriber meanwhile.</summary>
    PaperAlreadyGiven,
}

public sealed record CreateResult(CreateOutcome Outcome, DigestDelivery? Delivery);

/// <summary>An active subscriber and what the ledger holds for them.</summary>
/// <param name="LatestStanding">Their latest standing digest (pending, sent or empty), if any.</param>
/// <param name="LatestDate">The date of their latest digest of any status, if any.</param>
public sealed record SubscriberHistory(Subscriber Subscriber, DigestDelivery? LatestStanding, DateOnly? LatestDate)
{
    /// <summary>
    /// For a subscriber with no standing digest but failed or cancelled ones: where the earliest of those windows
    /// began. Their papers were never delivered, so the next digest's window starts there at the latest.
    /// </summary>
    public DateTimeOffset? UnservedSince { get; init; }

    /// <summary>Whether they were ever given a digest (mailed, or recorded for their feed): if not, the next one is their first.</summary>
    public bool EverGiven { get; init; }
}

/// <summary>One attempt's outcome as the ledger records it.</summary>
public sealed record AttemptOutcome(long DeliveryId, long SubscriberId, DeliveryStatus Status, string? Reply, int? StatusCode,
    string? EnhancedStatusCode, DateTimeOffset At, DateTimeOffset? NextAttemptAt, bool RecipientFailure = false, bool SuppressSubscriber = false);

/// <param name="HeldByOthers">Digests other runs hold under a live lease.</param>
/// <param name="WaitingForRetry">Deferred digests whose retry time has not come.</param>
/// <param name="NextRetryAt">The earliest of those retry times.</param>
public sealed record LedgerBacklog(int HeldByOthers, int WaitingForRetry, DateTimeOffset? NextRetryAt);
