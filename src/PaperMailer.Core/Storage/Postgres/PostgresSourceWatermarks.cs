using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresSourceWatermarks(PostgresDatabase database) : ISourceWatermarks
{
    public async Task<string?> GetAsync(string source, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT position FROM source_watermarks WHERE source = @source");
        Text(command, "source", source);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetAsync(string source, string position, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO source_watermarks (source, position, updated_at) VALUES (@source, @position, @at)
            ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """);
        Text(command, "source", source);
        Text(command, "position", position);
        Time(command, "at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
