using NpgsqlTypes;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresDigestRunLog(PostgresDatabase database) : IDigestRunLog
{
    public async Task RecordAsync(DigestRunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO digest_runs (claimant, started_at, finished_at, sent, deferred, failed, nothing_to_send, cancelled, left_to_others, released, stopped) " +
            "VALUES (@claimant, @started, @finished, @sent, @deferred, @failed, @nothing, @cancelled, @left, @released, @stopped)");
        Text(command, "claimant", run.Claimant);
        Time(command, "started", run.StartedAt);
        Time(command, "finished", run.FinishedAt);
        Integer(command, "sent", run.Sent);
        Integer(command, "deferred", run.Deferred);
        Integer(command, "failed", run.Failed);
        Integer(command, "nothing", run.NothingToSend);
        Integer(command, "cancelled", run.Cancelled);
        Integer(command, "left", run.LeftToOthers);
        Integer(command, "released", run.Released);
        Add(command, "stopped", NpgsqlDbType.Boolean, run.Stopped);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DigestRunSummary>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT id, claimant, started_at, finished_at, sent, deferred, failed, nothing_to_send, cancelled, left_to_others, released, stopped " +
            "FROM digest_runs ORDER BY id DESC LIMIT @count");
        Integer(command, "count", count);
        var runs = new List<DigestRunSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new DigestRunSummary(reader.GetString(1), ReadTime(reader, 2), ReadTime(reader, 3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetBoolean(11))
            {
                Id = reader.GetInt64(0),
            });
        }
        return runs;
    }
}
