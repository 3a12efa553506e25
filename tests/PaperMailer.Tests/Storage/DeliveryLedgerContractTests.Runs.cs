using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>What a digest run and several runs at once rely on: claims, batches, group commit, cut-offs, planning pages.</summary>
public partial class DeliveryLedgerContractTests
{
    private static async Task<List<DigestDelivery>> QueuedAsync(TestApp app, int count)
    {
        var ledger = app.Get<IDeliveryLedger>();
        var queued = new List<DigestDelivery>();
        for (var i = 0; i < count; i++)
        {
            var s = await app.AddSubscriberAsync($"reader{i}@example.org", ["x"]);
            var created = (await ledger.CreateAsync(LedgerRows.Draft(s, Day, Now, $"2601.{i:D5}")))!;
            await ledger.ReleaseAsync(LedgerRows.Claimant, [created.Id]);
            queued.Add(created);
        }
        return queued;
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Two_claimants_racing_for_the_same_digests_never_both_win_one(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var queued = await QueuedAsync(app, 40);
        var at = Now.AddMinutes(1);

        // Both ask for everything at once, in small batches, until nothing is left.
        async Task<List<long>> ClaimAllAsync(string who)
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = await ledger.ClaimDueAsync(Claim(who, at), at, at, 7);
                if (batch.Count == 0) return mine;
                mine.AddRange(batch.Select(d => d.Id));
            }
        }
        var results = await Task.WhenAll(Task.Run(() => ClaimAllAsync("a")), Task.Run(() => ClaimAllAsync("b")));

        Assert.Empty(results[0].Intersect(results[1]));
        Assert.Equal(queued.Select(d => d.Id).Order(), results[0].Concat(results[1]).Order());
        Assert.All(await ledger.ListAsync(Day), d => Assert.Equal((DeliveryStatus.Sending, 1), (d.Status, d.Attempts)));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_batched_claim_takes_at_most_its_size_in_id_order_and_only_what_was_untouched_since_the_run_began(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var queued = await QueuedAsync(app, 5);
        var at = Now.AddMinutes(1);

        var first = await ledger.ClaimDueAsync(Claim("run", at), at, at, 3);
        var touchedBefore = await ledger.ClaimDueAsync(Claim("late", at), at, untouchedSince: Now, 10);
        var rest = await ledger.ClaimDueAsync(Claim("run", at), at, at, 3);

        Assert.Equal(queued.Take(3).Select(d => d.Id), first.Select(d => d.Id));
        Assert.Empty(touchedBefore);
        Assert.Equal(queued.Skip(3).Select(d => d.Id), rest.Select(d => d.Id));
        Assert.All(first.Concat(rest), d => Assert.Equal(("run", at + TimeSpan.FromMinutes(10)), (d.ClaimedBy, d.LeaseUntil!.Value)));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_group_commit_records_only_what_the_claimant_holds_gives_back_failed_papers_and_suppresses_addresses(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["x"]);
        var cy = await app.AddSubscriberAsync("cy@example.org", ["x"]);
        var sent = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        var refused = (await ledger.CreateAsync(LedgerRows.Draft(bob, Day, Now, "2601.00002", "2601.00003")))!;
        var others = (await ledger.CreateAsync(LedgerRows.Draft(cy, Day, Now, "2601.00004"), claimant: "other-run"))!;
        var at = Now.AddMinutes(2);

        var recorded = await ledger.RecordOutcomesAsync(LedgerRows.Claimant,
        [
            new AttemptOutcome(sent.Id, ann.Id, DeliveryStatus.Sent, "250 2.0.0 ok", 250, "2.0.0", at, null),
            new AttemptOutcome(refused.Id, bob.Id, DeliveryStatus.Failed, "550 5.1.1 no such user", 550, "5.1.1", at, null, RecipientFailure: true, SuppressSubscriber: true),
            new AttemptOutcome(others.Id, cy.Id, DeliveryStatus.Sent, "250 ok", 250, null, at, null),
        ]);

        Assert.Equal(2, recorded);
        var annRow = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal((DeliveryStatus.Sent, at, "2.0.0", (string?)null), (annRow.Status, annRow.SentAt!.Value, annRow.LastEnhancedStatusCode, annRow.ClaimedBy));
        var bobRow = (await ledger.GetAsync(bob.Id, Day))!;
        Assert.Equal((DeliveryStatus.Failed, true, 550), (bobRow.Status, bobRow.RecipientFailure, bobRow.LastStatusCode!.Value));
        Assert.Empty(await ledger.GetSentPaperIdsAsync(bob.Id));
        Assert.Equal(SubscriberStatus.Bounced, (await app.Get<ISubscriberStore>().GetByIdAsync(bob.Id))!.Status);
        Assert.Equal((DeliveryStatus.Sending, "other-run"), ((await ledger.GetAsync(cy.Id, Day))!.Status, (await ledger.GetAsync(cy.Id, Day))!.ClaimedBy));
        Assert.Equal(new LedgerBacklog(1, 0, null), await ledger.BacklogAsync(LedgerRows.Claimant, at));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task The_cutoff_never_moves_back_and_papers_stored_after_it_are_stamped_at_or_after_it(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var papers = app.Get<IPaperStore>();

        Assert.Equal(Now, await ledger.TakeCutoffAsync(Now));
        Assert.Equal(Now, await ledger.TakeCutoffAsync(Now.AddMinutes(-5)));
        await papers.UpsertAsync([SamplePapers.Make("2601.00001", "late clock", "x")], Now.AddMinutes(-5));
        await papers.UpsertAsync([SamplePapers.Make("2601.00002", "on time", "x")], Now.AddMinutes(3));

        var stored = (await papers.GetByIdsAsync(["2601.00001", "2601.00002"])).ToDictionary(p => p.Id, p => p.FirstSeenAt);
        Assert.Equal(Now, stored["2601.00001"]);
        Assert.Equal(Now.AddMinutes(3), stored["2601.00002"]);
        Assert.Empty(await papers.GetFirstSeenBetweenAsync(Now.AddDays(-1), Now));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Planning_reads_pages_of_active_subscribers_with_their_latest_digests_and_what_they_hold_since_a_time(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var papers = app.Get<IPaperStore>();
        await papers.UpsertAsync([SamplePapers.Make("2601.00001", "old", "x")], Now.AddDays(-3));
        await papers.UpsertAsync([SamplePapers.Make("2601.00002", "new", "x"), SamplePapers.Make("2601.00003", "new", "x")], Now);
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var gone = await app.AddSubscriberAsync("gone@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["x"]);
        var cy = await app.AddSubscriberAsync("cy@example.org", ["x"]);
        await app.Get<ISubscriberStore>().SetStatusAsync(gone.Id, SubscriberStatus.Unsubscribed, Now);
        var annDigest = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001", "2601.00002")))!;
        await ledger.RecordAsync(annDigest, DeliveryStatus.Sent, "250 ok", Now);
        var bobDigest = (await ledger.CreateAsync(LedgerRows.Draft(bob, Day, Now, "2601.00003")))!;
        await ledger.RecordAsync(bobDigest, DeliveryStatus.Failed, "gave up", Now);

        var first = await ledger.ReadHistoryAsync(0, 2);
        var second = await ledger.ReadHistoryAsync(first[^1].Subscriber.Id, 2);
        var held = await ledger.GetSentPaperIdsAsync([ann.Id, bob.Id, cy.Id], Now.AddHours(-1));
        Assert.Empty(await ledger.GetSentPaperIdsAsync([bob.Id, cy.Id], Now.AddHours(-1)));
        Assert.Empty(await ledger.GetSentPaperIdsAsync([], Now.AddHours(-1)));

        Assert.Equal([ann.Id, bob.Id], first.Select(h => h.Subscriber.Id));
        Assert.Equal([cy.Id], second.Select(h => h.Subscriber.Id));
        Assert.Equal((annDigest.Id, DeliveryStatus.Sent, Day, true), (first[0].LatestStanding!.Id, first[0].LatestStanding!.Status, first[0].LatestDate!.Value, first[0].EverGiven));
        Assert.Null(first[1].LatestStanding);
        Assert.Equal(Day, first[1].LatestDate);
        Assert.Equal(bobDigest.WindowFrom, first[1].UnservedSince);
        Assert.Null(second[0].LatestStanding);
        Assert.Null(second[0].LatestDate);
        Assert.False(second[0].EverGiven);
        Assert.Equal(["2601.00002"], Assert.Single(held).Value);
        Assert.Equal(ann.Id, held.Single().Key);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Retrying_failed_digests_makes_them_due_with_the_same_message_id_unless_a_later_one_stands(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["x"]);
        var annFailed = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        await ledger.RecordAsync(annFailed, DeliveryStatus.Failed, "550 5.1.1 gone", Now, 550, "5.1.1", recipientFailure: true);
        var bobFailed = (await ledger.CreateAsync(LedgerRows.Draft(bob, Day, Now, "2601.00002")))!;
        await ledger.RecordAsync(bobFailed, DeliveryStatus.Failed, "gave up", Now);
        var later = Now.AddDays(1);
        (await ledger.CreateAsync([new DigestDraft(LedgerRows.Draft(bob, Day.AddDays(1), later, "2601.00003") with { WindowFrom = Now.AddDays(-1) }, later.AddHours(-20))],
            Claim("run", later))).Single();

        var result = await ledger.RetryFailedAsync(Day, later);

        Assert.Equal(1, result.MadeDue);
        Assert.Equal("bob@example.org: a later digest of theirs is pending or went out since, and took back this one's papers", Assert.Single(result.Skipped));
        var again = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal((DeliveryStatus.Deferred, 0, false, annFailed.MessageId), (again.Status, again.Attempts, again.RecipientFailure, again.MessageId));
        Assert.Equal(["2601.00001"], await ledger.GetSentPaperIdsAsync(ann.Id));
        var failures = Assert.Single(await ledger.FailuresByDomainAsync(Day, 10));
        Assert.Equal(new DomainFailures("example.org", 1, 1, 0), failures);
    }
}
