using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

public class SqliteDeliveryLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    private static DigestDelivery Draft(Subscriber s, DateOnly date, params string[] papers) => new()
    {
        SubscriberId = s.Id, Email = s.Email, DigestDate = date, MessageId = $"<{Guid.NewGuid():N}@x.org>",
        PaperIds = papers, Status = DeliveryStatus.Queued, CreatedAt = Now,
    };

    [Fact]
    public async Task Only_one_digest_per_subscriber_and_date_can_be_created()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var date = new DateOnly(2026, 11, 16);

        var first = await ledger.TryCreateAsync(Draft(ann, date, "2601.00001"));
        var second = await ledger.TryCreateAsync(Draft(ann, date, "2601.00002"));

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
        await ledger.TryCreateAsync(Draft(ann, new DateOnly(2026, 11, 16), "2601.00001"));

        var repeat = await ledger.TryCreateAsync(Draft(ann, new DateOnly(2026, 11, 17), "2601.00002", "2601.00001"));

        Assert.Null(repeat);
        Assert.Null(await ledger.GetAsync(ann.Id, new DateOnly(2026, 11, 17)));
        Assert.Equal(["2601.00001"], await ledger.GetSentPaperIdsAsync(ann.Id));
    }

    [Fact]
    public async Task Attempts_are_counted_and_deferred_rows_wait_for_their_retry_time()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.TryCreateAsync(Draft(ann, new DateOnly(2026, 11, 16), "2601.00001")))!;

        var attempt = await ledger.BeginAttemptAsync(created.Id, Now);
        await ledger.RecordOutcomeAsync(created.Id, DeliveryStatus.Deferred, "451 4.3.0 try later", 451, "4.3.0", Now, Now.AddMinutes(5));

        Assert.Equal(1, attempt.Attempts);
        Assert.Equal(DeliveryStatus.Sending, attempt.Status);
        Assert.Empty(await ledger.ListPendingAsync(Now.AddMinutes(4)));
        var due = Assert.Single(await ledger.ListPendingAsync(Now.AddMinutes(5)));
        Assert.Equal("451 4.3.0 try later", due.LastReply);
        Assert.Equal(451, due.LastStatusCode);
        Assert.Equal("4.3.0", due.LastEnhancedStatusCode);
        Assert.Equal(created.MessageId, due.MessageId);
    }

    [Fact]
    public async Task A_later_reply_without_codes_clears_the_codes_of_the_earlier_one()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await ledger.TryCreateAsync(Draft(ann, new DateOnly(2026, 11, 16), "2601.00001")))!;

        await ledger.RecordOutcomeAsync(created.Id, DeliveryStatus.Deferred, "451 4.3.0 try later", 451, "4.3.0", Now, Now);
        await ledger.RecordOutcomeAsync(created.Id, DeliveryStatus.Deferred, "Connection refused (smtp.example.org:587)", null, null, Now, Now);

        var row = (await ledger.GetAsync(ann.Id, new DateOnly(2026, 11, 16)))!;
        Assert.Equal("Connection refused (smtp.example.org:587)", row.LastReply);
        Assert.Null(row.LastStatusCode);
        Assert.Null(row.LastEnhancedStatusCode);
    }

    [Fact]
    public async Task A_database_from_before_the_reply_code_columns_is_upgraded_and_keeps_its_rows()
    {
        using var app = new TestApp(Now);
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var created = (await app.Get<IDeliveryLedger>().TryCreateAsync(Draft(ann, new DateOnly(2026, 11, 16), "2601.00001")))!;
        var database = app.Get<PaperMailer.Storage.Sqlite.SqliteDatabase>();
        await using (var connection = await database.OpenAsync())
        await using (var downgrade = connection.CreateCommand())
        {
            // The schema as version 3 left it, with a reply recorded then.
            downgrade.CommandText = """
                ALTER TABLE deliveries DROP COLUMN last_status_code;
                ALTER TABLE deliveries DROP COLUMN last_enhanced_status_code;
                DELETE FROM schema_migrations WHERE version = 4;
                UPDATE deliveries SET status = 'Failed', last_reply = '550 5.1.1 gone';
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        var reopened = new PaperMailer.Storage.Sqlite.SqliteDeliveryLedger(new PaperMailer.Storage.Sqlite.SqliteDatabase(database.ConnectionString));
        var old = Assert.Single(await reopened.ListAsync());
        await reopened.RecordOutcomeAsync(created.Id, DeliveryStatus.Failed, "550 5.1.1 gone", 550, "5.1.1", Now, null);

        Assert.Equal(("550 5.1.1 gone", (int?)null, (string?)null), (old.LastReply, old.LastStatusCode, old.LastEnhancedStatusCode));
        var updated = Assert.Single(await reopened.ListAsync());
        Assert.Equal((550, "5.1.1"), (updated.LastStatusCode, updated.LastEnhancedStatusCode));
    }

    [Fact]
    public async Task Failed_digests_are_counted_per_subscriber_leaving_out_the_one_being_recorded()
    {
        using var app = new TestApp(Now);
        var ledger = app.Get<IDeliveryLedger>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["x"]);
        async Task<DigestDelivery> Record(Subscriber s, int day, DeliveryStatus status)
        {
            var created = (await ledger.TryCreateAsync(Draft(s, new DateOnly(2026, 11, day), $"2601.{s.Id:D2}{day:D3}")))!;
            await ledger.RecordOutcomeAsync(created.Id, status, "reply", null, null, Now, null);
            return created;
        }

        await Record(ann, 1, DeliveryStatus.Failed);
        await Record(ann, 2, DeliveryStatus.Sent);
        await Record(ann, 3, DeliveryStatus.Failed);
        await Record(bob, 1, DeliveryStatus.Failed);
        var current = await Record(ann, 4, DeliveryStatus.Failed);

        Assert.Equal(2, await ledger.CountFailedAsync(ann.Id, current.Id));
        Assert.Equal(3, await ledger.CountFailedAsync(ann.Id, exceptDeliveryId: 0));
        Assert.Equal(1, await ledger.CountFailedAsync(bob.Id, current.Id));
    }

    [Fact]
    public async Task Counting_failures_reads_the_subscribers_rows_through_an_index_not_the_whole_ledger()
    {
        using var app = new TestApp(Now);
        await using var connection = await app.Get<PaperMailer.Storage.Sqlite.SqliteDatabase>().OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + PaperMailer.Storage.Sqlite.SqliteDeliveryLedger.CountFailedSql;
        explain.Parameters.AddWithValue("$s", 1);
        explain.Parameters.AddWithValue("$except", 0);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        var step = Assert.Single(plan);
        Assert.StartsWith("SEARCH deliveries USING INDEX", step);
        Assert.Contains("subscriber_id=?", step);
    }
}
