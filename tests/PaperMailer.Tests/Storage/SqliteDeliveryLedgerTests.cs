using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>What only the SQLite ledger has: its upgrade path from older files and its query plans.</summary>
public class SqliteDeliveryLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 16);


    [Fact]
    public async Task A_database_from_before_claims_and_windows_is_upgraded_and_keeps_its_rows()
    {
        using var app = new TestApp(Now, storage: StorageProvider.Sqlite);
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

    [Theory]
    [InlineData(SqliteDeliveryLedger.CountFailedSql, "deliveries", "subscriber_id=?")]
    [InlineData(SqliteDeliveryLedger.ClaimSql, "deliveries", "status=?")]
    [InlineData(SqliteDeliveryLedger.SentPapersOfSql, "sp", "subscriber_id=?")]
    public async Task The_runs_queries_read_through_an_index_not_the_whole_ledger(string sql, string table, string seek)
    {
        using var app = new TestApp(Now, storage: StorageProvider.Sqlite);
        await using var connection = await app.Get<SqliteDatabase>().OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "$s", "$except", "$me", "$lease", "$now", "$due", "$since", "$max", "$ids" })
            if (sql.Contains(name, StringComparison.Ordinal)) explain.Parameters.AddWithValue(name, name switch { "$max" => 10, "$ids" => "[1,2]", _ => "x" });
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        Assert.DoesNotContain(plan, step => step.StartsWith($"SCAN {table}", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith($"SEARCH {table} USING", StringComparison.Ordinal) && step.Contains(seek, StringComparison.Ordinal));
    }
}
