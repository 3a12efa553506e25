using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresSourceStatusLog(PostgresDatabase database) : ISourceStatusLog
{
    public async Task RecordSuccessAsync(string source, DateTimeOffset at, int newPapers, int updatedPapers, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO source_status (source, first_attempt_at, last_attempt_at, last_success_at, consecutive_failures, last_new, last_updated)
            VALUES (@source, @at, @at, @at, 0, @new, @updated)
            ON CONFLICT (source) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
                consecutive_failures = 0, last_new = excluded.last_new, last_updated = excluded.last_updated
            """);
        Text(command, "source", source);
        Time(command, "at", at);
        Integer(command, "new", newPapers);
        Integer(command, "updated", updatedPapers);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordFailureAsync(string source, DateTimeOffset at, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO source_status (source, first_attempt_at, last_attempt_at, last_error_at, last_error, consecutive_failures)
            VALUES (@source, @at, @at, @at, @error, 1)
            ON CONFLICT (source) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error_at = excluded.last_error_at,
                last_error = excluded.last_error, consecutive_failures = source_status.consecutive_failures + 1
            """);
        Text(command, "source", source);
        Time(command, "at", at);
        Text(command, "error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SourceStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT source, first_attempt_at, last_attempt_at, last_success_at, last_error_at, last_error, consecutive_failures, last_new, last_updated " +
            "FROM source_status ORDER BY source COLLATE \"C\"");
        var result = new List<SourceStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new SourceStatus(reader.GetString(0), ReadTime(reader, 1), ReadTime(reader, 2), ReadTimeOrNull(reader, 3),
                ReadTimeOrNull(reader, 4), ReadTextOrNull(reader, 5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8)));
        }
        return result;
    }
}
