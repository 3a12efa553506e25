using Microsoft.Data.Sqlite;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqlitePaperVectorStore(SqliteDatabase database) : IPaperVectorStore
{
    public async Task SaveAsync(string model, IReadOnlyList<PaperVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (vectors.Count == 0) return;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // A paper removed or never stored has nothing to attach a vector to: the select finds no row and nothing is written.
        await using var command = Command(connection, """
            INSERT INTO paper_vectors (paper_id, model, vector, embedded_at) SELECT id, $model, $vector, $at FROM papers WHERE id = $id
            ON CONFLICT (paper_id) DO UPDATE SET model = excluded.model, vector = excluded.vector, embedded_at = excluded.embedded_at
            """, transaction);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$at", Time(at));
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var paper in vectors)
        {
            id.Value = paper.PaperId;
            vector.Value = PaperVectorBytes.Write(paper.Vector);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, float[]>> GetAsync(string model, IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken = default)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (paperIds.Count == 0) return vectors;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT paper_id, vector FROM paper_vectors WHERE model = $model AND paper_id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$ids", List(paperIds.ToList()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) vectors[reader.GetString(0)] = PaperVectorBytes.Read((byte[])reader.GetValue(1));
        return vectors;
    }

    public async Task<IReadOnlyList<string>> MissingAsync(string model, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT p.id FROM papers p LEFT JOIN paper_vectors v ON v.paper_id = p.id AND v.model = $model
            WHERE v.paper_id IS NULL AND p.first_seen_at >= $since ORDER BY p.first_seen_at DESC, p.id LIMIT $limit
            """);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$since", Time(since));
        command.Parameters.AddWithValue("$limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }
}
