using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteDigestRunLog(SqliteDatabase database) : IDigestRunLog
{
    private const string Columns = "id, claimant, started_at, finished_at, sent, deferred, failed, nothing_to_send, cancelled, left_to_others, released, stopped";

    public async Task RecordAsync(DigestRunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO digest_runs (claimant, started_at, finished_at, sent, deferred, failed, nothing_to_send, cancelled, left_to_others, released, stopped) " +
            "VALUES ($claimant, $started, $finished, $sent, $deferred, $failed, $nothing, $cancelled, $left, $released, $stopped)");
        command.Parameters.AddWithValue("$claimant", run.Claimant);
        command.Parameters.AddWithValue("$started", Time(run.StartedAt));
        command.Parameters.AddWithValue("$finished", Time(run.FinishedAt));
        command.Parameters.AddWithValue("$sent", run.Sent);
        command.Parameters.AddWithValue("$deferred", run.Deferred);
        command.Parameters.AddWithValue("$failed", run.Failed);
        command.Parameters.AddWithValue("$nothing", run.NothingToSend);
        command.Parameters.AddWithValue("$cancelled", run.Cancelled);
        command.Parameters.AddWithValue("$left", run.LeftToOthers);
        command.Parameters.AddWithValue("$released", run.Released);
        command.Parameters.AddWithValue("$stopped", run.Stopped ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DigestRunSummary>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM digest_runs ORDER BY id DESC LIMIT $count");
        command.Parameters.AddWithValue("$count", count);
        var runs = new List<DigestRunSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new DigestRunSummary(reader.GetString(1), ReadTime(reader, "started_at"), ReadTime(reader, "finished_at"), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11) != 0)
            {
                Id = reader.GetInt64(0),
            });
        }
        return runs;
    }
}
