using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// The crash window of group commit, counted in-process: a run is "killed" (from one instant on, nothing it does
/// reaches the server or the ledger any more) after the server accepted some of its digests, and a run started after
/// the dead run's lease serves everyone else. Every message the server received is counted.
/// </summary>
public class CrashWindowTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
    private const int Readers = 120;
    private const int CommitGroupSize = 8;

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(90)]
    public async Task A_run_killed_mid_run_leaves_nobody_out_no_second_digest_and_at_most_one_commit_group_resent_as_the_same_message(int acceptedBeforeKill)
    {
        var settings = new Dictionary<string, string?> { ["Digest:CommitGroupSize"] = $"{CommitGroupSize}" };
        var killed = new Kill();
        using var dying = new TestApp(Morning, settings, configure: services =>
            services.Decorate<IDeliveryLedger>(ledger => new KillableLedger(ledger, killed)));
        await dying.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        for (var i = 0; i < Readers; i++) await dying.AddSubscriberAsync($"reader{i:000}@example.org", topics: ["llm-agents"]);
        var accepted = 0;
        dying.Transport.Hold = _ =>
        {
            // The kill lands while the server is accepting this message: it arrives, its outcome is never recorded.
            if (Interlocked.Increment(ref accepted) == acceptedBeforeKill) killed.Now();
            return killed.Happened && accepted > acceptedBeforeKill ? Kill.Forever : Task.CompletedTask;
        };
        var dyingRun = Task.Run(() => dying.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None));
        // A run that fails (or ends) before the kill would leave the test waiting for a kill that never comes.
        if (await Task.WhenAny(killed.Task, dyingRun) == dyingRun)
        {
            await dyingRun;
            Assert.Fail($"The run ended before its kill, after {accepted} digests reached the server.");
        }

        // Started again once the dead run's lease (ten minutes) has run out.
        var settingsAgain = new Dictionary<string, string?>(dying.SharedFiles()) { ["Digest:CommitGroupSize"] = $"{CommitGroupSize}" };
        using var restarted = new TestApp(Morning.AddMinutes(11), settingsAgain);
        var report = await restarted.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);

        var rows = await restarted.Get<IDeliveryLedger>().ListAsync();
        var received = dying.Transport.Sent.Concat(restarted.Transport.Sent).GroupBy(m => m.Recipient().Address).ToList();
        Assert.Equal(Readers, rows.Count);
        Assert.All(rows, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(Readers, received.Count);                                              // nobody missing
        Assert.All(received, messages => Assert.Single(messages.Select(m => m.MessageId).Distinct())); // no second digest
        var resent = received.Count(messages => messages.Count() > 1);
        Assert.InRange(resent, 0, CommitGroupSize);                                         // at most the window, each the same message
        Assert.All(received, m => Assert.InRange(m.Count(), 1, 2));
        Assert.Equal(rows.Select(d => d.MessageId).Order(), received.Select(m => m.First().LedgerMessageId()).Order());
        Assert.Equal(0, report.Count(DeliveryStatus.Deferred) + report.Count(DeliveryStatus.Failed));
    }

    /// <summary>The instant the process "dies": everything after it waits forever, as a killed process never goes on.</summary>
    private sealed class Kill
    {
        private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Task Forever { get; } = new TaskCompletionSource().Task;

        public Task Task => _killed.Task;

        public bool Happened => _killed.Task.IsCompleted;

        public void Now() => _killed.TrySetResult();
    }

    /// <summary>The real ledger until the kill; after it, no write reaches the database.</summary>
    private sealed class KillableLedger(IDeliveryLedger ledger, Kill kill) : IDeliveryLedger
    {
        private Task<T> Write<T>(Func<Task<T>> write) => kill.Happened ? Forever<T>() : write();

        private static async Task<T> Forever<T>()
        {
            await Kill.Forever;
            throw new InvalidOperationException("unreachable");
        }

        public Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default) =>
            ledger.GetAsync(subscriberId, digestDate, cancellationToken);

        public Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default) =>
            ledger.ListAsync(digestDate, cancellationToken);

        public Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            ledger.GetSentPaperIdsAsync(subscriberId, cancellationToken);

        public Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> GetSentPaperIdsAsync(IReadOnlyList<long> subscriberIds, DateTimeOffset firstSeenSince,
            CancellationToken cancellationToken = default) => ledger.GetSentPaperIdsAsync(subscriberIds, firstSeenSince, cancellationToken);

        public Task<DateTimeOffset> TakeCutoffAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Write(() => ledger.TakeCutoffAsync(now, cancellationToken));

        public Task<IReadOnlyList<SubscriberHistory>> ReadHistoryAsync(long afterSubscriberId, int limit, CancellationToken cancellationToken = default) =>
            ledger.ReadHistoryAsync(afterSubscriberId, limit, cancellationToken);

        public Task<IReadOnlyList<CreateResult>> CreateAsync(IReadOnlyList<DigestDraft> drafts, DigestClaim claim, CancellationToken cancellationToken = default) =>
            Write(() => ledger.CreateAsync(drafts, claim, cancellationToken));

        public Task<IReadOnlyList<DigestDelivery>> ClaimDueAsync(DigestClaim claim, DateTimeOffset? dueAt, DateTimeOffset untouchedSince, int max,
            CancellationToken cancellationToken = default) => Write(() => ledger.ClaimDueAsync(claim, dueAt, untouchedSince, max, cancellationToken));

        public Task<bool> RenewAsync(long deliveryId, DigestClaim claim, CancellationToken cancellationToken = default) =>
            Write(() => ledger.RenewAsync(deliveryId, claim, cancellationToken));

        public Task<int> RecordOutcomesAsync(string claimantId, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken = default) =>
            Write(() => ledger.RecordOutcomesAsync(claimantId, outcomes, cancellationToken));

        public Task ReleaseAsync(string claimantId, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken = default) =>
            Write(async () =>
            {
                await ledger.ReleaseAsync(claimantId, deliveryIds, cancellationToken);
                return 0;
            });

        public Task<LedgerBacklog> BacklogAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            ledger.BacklogAsync(claimantId, now, cancellationToken);

        public Task<RetryFailedResult> RetryFailedAsync(DateOnly digestDate, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Write(() => ledger.RetryFailedAsync(digestDate, now, cancellationToken));

        public Task<IReadOnlyList<DomainFailures>> FailuresByDomainAsync(DateOnly since, int max, CancellationToken cancellationToken = default) =>
            ledger.FailuresByDomainAsync(since, max, cancellationToken);

        public Task<int> CountRecipientFailuresAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default) =>
            ledger.CountRecipientFailuresAsync(subscriberId, exceptDeliveryId, cancellationToken);
    }
}
