using Microsoft.Data.Sqlite;
using PaperMailer.Storage.Sqlite;

namespace PaperMailer.Tests.Storage;

/// <summary>
/// Write transactions of one process take turns before asking SQLite for its write lock, so that the second of two
/// never sleeps in SQLite's busy handler while the first is already done.
/// </summary>
public sealed class SqliteWriteTurnTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-writeturn-").FullName;

    private SqliteDatabase NewDatabase() => new($"Data Source={Path.Combine(_folder, "papermailer.db")}");

    [Fact]
    public async Task A_second_write_connection_waits_for_the_first_to_be_disposed_then_gets_the_write_lock_at_once()
    {
        var database = NewDatabase();
        var first = await database.OpenForWritingAsync();
        await using (var transaction = (SqliteTransaction)await first.BeginTransactionAsync())
        {
            await using var insert = first.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "CREATE TABLE turns (n INTEGER)";
            await insert.ExecuteNonQueryAsync();

            var second = database.OpenForWritingAsync();
            Assert.False(second.IsCompleted, "the second writer got its connection while the first still held its transaction");

            await transaction.CommitAsync();
            await first.DisposeAsync();
            await using var next = await second.WaitAsync(TimeSpan.FromMinutes(1));
            // The write lock is free: an immediate transaction begins without waiting for SQLite's busy handler.
            await using var command = next.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; INSERT INTO turns VALUES (2); COMMIT;";
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Disposing_a_write_connection_twice_gives_its_turn_back_once()
    {
        var database = NewDatabase();
        var connection = await database.OpenForWritingAsync();
        connection.Dispose();
        await connection.DisposeAsync();

        await using var holder = await database.OpenForWritingAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var waiting = database.OpenForWritingAsync();
        Assert.False(waiting.IsCompleted, "two write connections were open at once after one was disposed twice");
        await holder.DisposeAsync();
        await using var last = await waiting.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_reader_does_not_wait_for_a_writers_turn()
    {
        var database = NewDatabase();
        await using var writer = await database.OpenForWritingAsync();
        await using var reader = await database.OpenAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await using var command = reader.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
