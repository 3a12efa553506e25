using NpgsqlTypes;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresTextVectorStore(PostgresDatabase database) : ITextVectorStore
{
    public async Task<IReadOnlyDictionary<TextVectorKey, float[]>> GetAsync(IReadOnlyCollection<TextVectorKey> keys, CancellationToken cancellationToken = default)
    {
        var vectors = new Dictionary<TextVectorKey, float[]>();
        var wanted = ITextVectorStore.Storable(keys);
        if (wanted.Count == 0) return vectors;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT v.model, v.text, v.vector FROM unnest(@models, @texts) AS k (model, text)
            JOIN text_vectors v ON v.model = k.model AND v.text = k.text
            """);
        List(command, "models", wanted.Select(k => k.Model));
        List(command, "texts", wanted.Select(k => k.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            vectors[new TextVectorKey(reader.GetString(0), reader.GetString(1))] = PaperVectorBytes.Read(reader.GetFieldValue<byte[]>(2));
        return vectors;
    }

    public async Task SaveAsync(IReadOnlyList<TextVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var kept = ITextVectorStore.Storable(vectors);
        if (kept.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        // One statement for the batch: a transaction of its own.
        await using var command = Command(connection, """
            INSERT INTO text_vectors (model, text, vector, embedded_at)
            SELECT given.model, given.text, given.vector, @at FROM unnest(@models, @texts, @vectors) AS given (model, text, vector)
            ON CONFLICT (model, text) DO NOTHING
            """);
        Time(command, "at", at);
        List(command, "models", kept.Select(v => v.Key.Model));
        List(command, "texts", kept.Select(v => v.Key.Text));
        Add(command, "vectors", NpgsqlDbType.Array | NpgsqlDbType.Bytea, kept.Select(v => PaperVectorBytes.Write(v.Vector)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
