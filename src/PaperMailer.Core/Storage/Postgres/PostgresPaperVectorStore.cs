using NpgsqlTypes;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresPaperVectorStore(PostgresDatabase database) : IPaperVectorStore
{
    public async Task SaveAsync(string model, IReadOnlyList<PaperVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (vectors.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        // One statement for the batch; a paper not (or no longer) stored has nothing to attach a vector to and is left out.
        await using var command = Command(connection, """
            INSERT INTO paper_vectors (paper_id, model, vector, embedded_at)
            SELECT given.id, @model, given.vector, @at FROM unnest(@ids, @vectors) AS given (id, vector) JOIN papers p ON p.id = given.id
            ON CONFLICT (paper_id) DO UPDATE SET model = excluded.model, vector = excluded.vector, embedded_at = excluded.embedded_at
            """);
        Text(command, "model", model);
        Time(command, "at", at);
        List(command, "ids", vectors.Select(v => v.PaperId));
        Add(command, "vectors", NpgsqlDbType.Array | NpgsqlDbType.Bytea, vectors.Select(v => PaperVectorBytes.Write(v.Vector)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, float[]>> GetAsync(string model, IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken = default)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (paperIds.Count == 0) return vectors;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT paper_id, vector FROM paper_vectors WHERE model = @model AND paper_id = ANY(@ids)");
        Text(command, "model", model);
        List(command, "ids", paperIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) vectors[reader.GetString(0)] = PaperVectorBytes.Read(reader.GetFieldValue<byte[]>(1));
        return vectors;
    }

    public async Task<IReadOnlyList<string>> MissingAsync(string model, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT p.id FROM papers p LEFT JOIN paper_vectors v ON v.paper_id = p.id AND v.model = @model
            WHERE v.paper_id IS NULL AND p.first_seen_at >= @since ORDER BY p.first_seen_at DESC, p.id COLLATE "C" LIMIT @limit
            """);
        Text(command, "model", model);
        Time(command, "since", since);
        Integer(command, "limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }
}
