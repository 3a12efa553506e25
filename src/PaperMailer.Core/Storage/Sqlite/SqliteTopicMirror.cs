using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

/// <summary>The topics table of the SQLite database (see <see cref="ITopicMirror"/>).</summary>
public sealed class SqliteTopicMirror(SqliteDatabase database) : ITopicMirror
{
    public async Task SyncAsync(IReadOnlyList<Topic> topics, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = Command(connection, "DELETE FROM topics", transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = Command(connection, "INSERT INTO topics (id, name, description, keywords, exclude) VALUES ($id, $name, $description, $keywords, $exclude)", transaction);
        foreach (var topic in topics)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$id", topic.Id);
            insert.Parameters.AddWithValue("$name", topic.Name);
            insert.Parameters.AddWithValue("$description", topic.Description);
            insert.Parameters.AddWithValue("$keywords", List(topic.Keywords));
            insert.Parameters.AddWithValue("$exclude", List(topic.Exclusions));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
