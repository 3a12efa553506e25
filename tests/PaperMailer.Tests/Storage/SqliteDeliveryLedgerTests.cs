using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

public class SqliteDeliveryLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 16);

    private static DigestClaim Claim(string who, DateTimeOffset at) => new(who, at, at + TimeSpan.FromMinutes(10));

    [Fact]
    public async Task Only_one_digest_per_subscriber_and_date_can_be_created()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);

        var first = await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001"));
        var second = await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00002"));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(["2601.00001"], await ledger.GetSentPaperIdsAsync(ann.Id));
    }

    [Fact]
    public async Task A_paper_already_given_to_a_subscriber_makes_a_new_digest_with_it_fail_as_a_whole()
    {
        using var app = new TestApp(Now);
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

    [Fact]
    public async Task A_new_digest_is_refused_while_one_is_pending_within_the_gap_or_overlapping_the_last_window()
    {
        using var app = new TestApp(Now);
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

    [Fact]
    public async Task Only_one_claimant_wins_a_digest_and_a_live_lease_is_never_taken()
    {
        using var app = new TestApp(Now);
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

    [Fact]
    public async Task A_lease_that_ran_out_is_taken_over_as_the_same_message_and_the_old_claimant_can_no_longer_record()
    {
        using var app = new TestApp(Now);
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

    [Fact]
    public async Task A_claim_given_back_unattempted_is_queued_again_without_counting_an_attempt()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;

        await ledger.ReleaseAsync(LedgerRows.Claimant, [created.Id]);

        var row = (await ledger.GetAsync(ann.Id, Day))!;
        Assert.Equal((DeliveryStatus.Queued, 0, (string?)null), (row.Status, row.Attempts, row.ClaimedBy));
        Assert.Single(await ledger.ClaimDueAsync(Claim("next", Now.AddMinutes(1)), Now.AddMinutes(1), Now.AddMinutes(1), 10));
    }

    [Fact]
    public async Task A_failed_digest_gives_its_papers_back()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001", "2601.00002")))!;

        await ledger.RecordAsync(created, DeliveryStatus.Failed, "gave up after 8 attempts", Now);

        Assert.Empty(await ledger.GetSentPaperIdsAsync(ann.Id));
        Assert.False((await ledger.GetAsync(ann.Id, Day))!.Stands);
    }

    [Fact]
    public async Task A_later_reply_without_codes_clears_the_codes_of_the_earlier_one()
    {
        using var app = new TestApp(Now);
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

    [Fact]
    public async Task A_database_from_before_claims_and_windows_is_upgraded_and_keeps_its_rows()
    {
        using var app = new TestApp(Now);
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var ledger = app.Get<IDeliveryLedger>();
        var failed = (await ledger.CreateAsync(LedgerRows.Draft(ann, Day, Now, "2601.00001")))!;
        var database = app.Get<SqliteDatabase>();
        await using (var connection = await database.OpenAsync())
        await using (var downgrade = connection.CreateCommand())
        {
            // The schema as version 4 left it: a digest that failed with 550 still holding its paper.
            downgrade.CommandText = """
                DROP INDEX deliveries_by_subscriber;
                DROP TABLE paper_cutoff;
                ALTER TABLE deliveries DROP COLUMN claimed_by;
                ALTER TABLE deliveries DROP COLUMN lease_until;
                ALTER TABLE deliveries DROP COLUMN window_from;
                ALTER TABLE deliveries DROP COLUMN cutoff_at;
                ALTER TABLE deliveries DROP COLUMN recipient_failure;
                DELETE FROM schema_migrations WHERE version = 5;
                UPDATE deliveries SET status = 'Failed', last_reply = '550 5.1.1 gone', last_status_code = 550;
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        var reopened = new SqliteDeliveryLedger(new SqliteDatabase(database.ConnectionString));
        var old = Assert.Single(await reopened.ListAsync());

        Assert.Equal(("550 5.1.1 gone", true, old.CreatedAt), (old.LastReply, old.RecipientFailure, old.CutoffAt!.Value));
        Assert.Empty(await reopened.GetSentPaperIdsAsync(ann.Id));
        Assert.Equal(1, await reopened.CountRecipientFailuresAsync(ann.Id, exceptDeliveryId: 0));
        Assert.Equal(failed.MessageId, old.MessageId);
    }

    [Fact]
    public async Task Only_failures_of_the_address_itself_are_counted_towards_suppression()
    {
        using var app = new TestApp(Now);
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

    [Theory]
    [InlineData(SqliteDeliveryLedger.CountFailedSql, "subscriber_id=?")]
    [InlineData(SqliteDeliveryLedger.ClaimSql, "status=?")]
    public async Task The_runs_queries_read_through_an_index_not_the_whole_ledger(string sql, string seek)
    {
        using var app = new TestApp(Now);
        await using var connection = await app.Get<SqliteDatabase>().OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "$s", "$except", "$me", "$lease", "$now", "$due", "$since", "$max" })
            if (sql.Contains(name, StringComparison.Ordinal)) explain.Parameters.AddWithValue(name, name == "$max" ? 10 : "x");
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN deliveries", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH deliveries USING", StringComparison.Ordinal) && step.Contains(seek, StringComparison.Ordinal));
    }
}
