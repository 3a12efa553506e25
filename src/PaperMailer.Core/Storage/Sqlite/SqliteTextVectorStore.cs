using System.Text.Json;
using Microsoft.Data.Sqlite;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteTextVectorStore(SqliteDatabase database) : ITextVectorStore
{
    public async Task<IReadOnlyDictionary<TextVectorKey, float[]>> GetAsync(IReadOnlyCollection<TextVectorKey> keys, CancellationToken cancellationToken = default)
    {
        var vectors = new Dictionary<TextVectorKey, float[]>();
        var wanted = ITextVectorStore.Storable(keys);
        if (wanted.Count == 0) return vectors;
        await using var connection = await database.OpenAsync(cancellationToken);
        // The keys as one JSON array of [model, text] pairs, each looked up by the primary key.
        await using var command = Command(connection, """
            SELECT v.model, v.text, v.vector FROM json_each($keys) k
            JOIN text_vectors v ON v.model = json_extract(k.value, '$[0]') AND v.text = json_extract(k.value, '$[1]')
            """);
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(wanted.Select(k => new[] { k.Model, k.Text })));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            vectors[new TextVectorKey(reader.GetString(0), reader.GetString(1))] = PaperVectorBytes.Read((byte[])reader.GetValue(2));
        return vectors;
    }

    public async Task SaveAsync(IReadOnlyList<TextVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var kept = ITextVectorStore.Storable(vectors);
        if (kept.Count == 0) return;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO text_vectors (model, text, vector, embedded_at) VALUES ($model, $text, $vector, $at) ON CONFLICT (model, text) DO NOTHING
            """, transaction);
        command.Parameters.AddWithValue("$at", Time(at));
        var model = command.Parameters.Add("$model", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var row in kept)
        {
            model.Value = row.Key.Model;
            text.Value = row.Key.Text;
            vector.Value = PaperVectorBytes.Write(row.Vector);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
