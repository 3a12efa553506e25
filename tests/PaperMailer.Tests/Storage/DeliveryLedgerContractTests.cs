using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The ledger's contract, held by both providers: each test runs against SQLite and PostgreSQL.</summary>
public partial class DeliveryLedgerContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 16);

    private static DigestClaim Claim(string who, DateTimeOffset at) => new(who, at, at + TimeSpan.FromMinutes(10));

    [Theory, SqliteStore, PostgresStore]
    public async Task Only_one_digest_per_subscriber_and_date_can_be_created(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);

        var first = await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001"));
        var second = await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00002"));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(["2601.00001"], await ledger.GetSentPaperIdsAsync(ann.Id));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_paper_already_given_to_a_subscriber_makes_a_new_digest_with_it_fail_as_a_whole(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var first = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        await ledger.RecordAsync(first, DeliveryStatus.Sent, "250 ok", Now);

        var later = Now.AddDays(1);
        var repeat = (await ledger.CreateAsync([new DigestDraft(LedgerRows.Draft(ann, Day.AddDays(1), later, "2601.00002", "2601.00001") with { WindowFrom = Now }, later.AddHours(-20))],
            Claim("run", later))).Single();

        Assert.Equal(CreateOutcome.PaperAlreadyGiven, repeat.Outcome);
        Assert.Null(await ledger.GetAsync(ann.Id, Day.AddDays(1)));
        Assert.Equal(["2601.00001"], await ledger.GetSentPaperIdsAsync(ann.Id));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_new_digest_is_refused_while_one_is_pending_within_the_gap_or_overlapping_the_last_window(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var first = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        async Task<CreateOutcome> TryAsync(DateTimeOffset at, DateTimeOffset from) => (await ledger.CreateAsync(
            [new DigestDraft(LedgerRows.Draft(ann, DateOnly.FromDateTime(at.UtcDateTime), at, "2601.00009") with { WindowFrom = from }, at.AddHours(-20))],
            Claim("other-run", at))).Single().Outcome;

        Assert.Equal(CreateOutcome.AlreadyDecided, await TryAsync(Now.AddDays(1), Now)); // the first is still pending
        await ledger.RecordAsync(first, DeliveryStatus.Sent, "250 ok", Now);
        Assert.Equal(CreateOutcome.AlreadyDecided, await TryAsync(Now.AddHours(19), Now)); // within 20 hours
        Assert.Equal(CreateOutcome.AlreadyDecided, await TryAsync(Now.AddDays(1), Now.AddHours(-1))); // its window overlaps the first's
        Assert.Equal(CreateOutcome.Created, await TryAsync(Now.AddDays(1), Now));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Only_one_claimant_wins_a_digest_and_a_live_lease_is_never_taken(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        await ledger.RecordAsync(created, DeliveryStatus.Deferred, "451 4.3.0 try later", Now, 451, "4.3.0", next: Now.AddMinutes(5));

        var early = await ledger.ClaimDueAsync(Claim("a", Now.AddMinutes(4)), Now.AddMinutes(4), Now.AddMinutes(4), 10);
        var a = await ledger.ClaimDueAsync(Claim("a", Now.AddMinutes(5)), Now.AddMinutes(5), Now.AddMinutes(5), 10);
        var b = await ledger.ClaimDueAsync(Claim("b", Now.AddMinutes(6)), dueAt: null, Now.AddMinutes(6), 10);

        Assert.Empty(early);
        var won = Assert.Single(a);
        Assert.Empty(b);
        Assert.Equal((DeliveryStatus.Sending, "a", 2), (won.Status, won.ClaimedBy, won.Attempts));
        Assert.Equal(created.MessageId, won.MessageId);
        Assert.False(await ledger.RenewAsync(won.Id, Claim("b", Now.AddMinutes(6))));
        Assert.Equal(0, await ledger.RecordOutcomesAsync("b", [new AttemptOutcome(won.Id, ann.Id, DeliveryStatus.Sent, "250 ok", 250, null, Now, null)]));
        Assert.Equal(DeliveryStatus.Sending, (await ledger.GetAsync(ann.Id, Day))!.Status);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_lease_that_ran_out_is_taken_over_as_the_same_message_and_the_old_claimant_can_no_longer_record(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001"), claimant: "died"))!;

        var taken = Assert.Single(await ledger.ClaimDueAsync(Claim("heir", Now.AddMinutes(11)), Now.AddMinutes(11), Now.AddMinutes(11), 10));

        Assert.Equal((created.MessageId, "heir", 2), (taken.MessageId, taken.ClaimedBy, taken.Attempts));
        Assert.Equal(0, await ledger.RecordOutcomesAsync("died", [new AttemptOutcome(created.Id, ann.Id, DeliveryStatus.Sent, "250 ok", 250, null, Now, null)]));
        Assert.Equal(1, await ledger.RecordOutcomesAsync("heir", [new AttemptOutcome(created.Id, ann.Id, DeliveryStatus.Sent, "250 ok", 250, null, Now, null)]));
        var row = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal((DeliveryStatus.Sent, (string?)null, (DateTimeOffset?)null), (row.Status, row.ClaimedBy, row.LeaseUntil));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_claim_given_back_unattempted_is_queued_again_without_counting_an_attempt(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;

        await ledger.ReleaseAsync(LedgerRows.Claimant, [created.Id]);

        var row = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal((DeliveryStatus.Queued, 0, (string?)null), (row.Status, row.Attempts, row.ClaimedBy));
        Assert.Single(await ledger.ClaimDueAsync(Claim("next", Now.AddMinutes(1)), Now.AddMinutes(1), Now.AddMinutes(1), 10));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_failed_digest_gives_its_papers_back(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001", "2601.00002")))!;

        await ledger.RecordAsync(created, DeliveryStatus.Failed, "gave up after 8 attempts", Now);

        Assert.Empty(await ledger.GetSentPaperIdsAsync(ann.Id));
        Assert.False((await ledger.GetAsync(ann.Id, Day))!.Stands);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_later_reply_without_codes_clears_the_codes_of_the_earlier_one(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;

        await ledger.RecordAsync(created, DeliveryStatus.Deferred, "451 4.3.0 try later", Now, 451, "4.3.0", next: Now);
        Assert.Single(await ledger.ClaimDueAsync(Claim(LedgerRows.Claimant, Now.AddMinutes(1)), Now.AddMinutes(1), Now.AddMinutes(1), 10));
        await ledger.RecordAsync(created, DeliveryStatus.Deferred, "Connection refused (smtp.example.org:587)", Now, next: Now);

        var row = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal("Connection refused (smtp.example.org:587)", row.LastReply);
        Assert.Null(row.LastStatusCode);
        Assert.Null(row.LastEnhancedStatusCode);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Only_failures_of_the_address_itself_are_counted_towards_suppression(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["x"]);
        async Task<DigestDelivery> Record(Subscriber s, int day, DeliveryStatus status, bool recipientFailure)
        {
            var at = Now.AddDays(day);
            var created = (await ledger.CreateAsync(LedgerRows.Draft(s, DateOnly.FromDateTime(at.UtcDateTime), at, $"2601.{s.Id:D2}{day:D3}") with { WindowFrom = at.AddDays(-1) }))!;
            await ledger.RecordAsync(created, status, "reply", at, recipientFailure: recipientFailure);
            return created;
        }

        await Record(ann, 1, DeliveryStatus.Failed, recipientFailure: true);
        await Record(ann, 2, DeliveryStatus.Sent, recipientFailure: false);
        await Record(ann, 3, DeliveryStatus.Failed, recipientFailure: false); // given up, or SMTPUTF8 missing
        await Record(bob, 1, DeliveryStatus.Failed, recipientFailure: true);
        var current = await Record(ann, 4, DeliveryStatus.Failed, recipientFailure: true);

        Assert.Equal(1, await ledger.CountRecipientFailuresAsync(ann.Id, current.Id));
        Assert.Equal(2, await ledger.CountRecipientFailuresAsync(ann.Id, exceptDeliveryId: 0));
        Assert.Equal(1, await ledger.CountRecipientFailuresAsync(bob.Id, current.Id));
    }
}
