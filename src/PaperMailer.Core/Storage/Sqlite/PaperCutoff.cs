using Microsoft.Data.Sqlite;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

/// <summary>
/// The latest cut-off a digest run has taken (one row). A run takes its cut-off in a write transaction, and papers are
/// stored in write transactions stamped no earlier than it, so every paper is either visible to the run and before its
/// cut-off, or stored after and at or past it: a paper can never fall between two digests' windows.
/// </summary>
internal static class PaperCutoff
{
    /// <summary>Moves the cut-off to <paramref name="now"/> (never back) and returns it.</summary>
    public static async Task<DateTimeOffset> TakeAsync(SqliteDatabase database, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO paper_cutoff (id, cutoff_at) VALUES (1, $now) " +
            "ON CONFLICT (id) DO UPDATE SET cutoff_at = max(cutoff_at, excluded.cutoff_at) RETURNING cutoff_at");
        command.Parameters.AddWithValue("$now", Time(now));
        return ParseTime((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>The first-seen time for papers stored now in <paramref name="transaction"/>: <paramref name="seenAt"/>, or the cut-off when later.</summary>
    public static async Task<DateTimeOffset> StampAsync(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT cutoff_at FROM paper_cutoff WHERE id = 1", transaction);
        if (await command.ExecuteScalarAsync(cancellationToken) is not string text) return seenAt;
        var cutoff = ParseTime(text);
        return cutoff > seenAt ? cutoff : seenAt;
    }
}
