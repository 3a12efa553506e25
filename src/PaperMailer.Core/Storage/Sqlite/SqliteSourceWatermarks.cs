using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteSourceWatermarks(SqliteDatabase database) : ISourceWatermarks
{
    public async Task<string?> GetAsync(string source, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT position FROM source_watermarks WHERE source = $source");
        command.Parameters.AddWithValue("$source", source);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetAsync(string source, string position, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO source_watermarks (source, position, updated_at) VALUES ($source, $position, $at)
            ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$position", position);
        command.Parameters.AddWithValue("$at", Time(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
