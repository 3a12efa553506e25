using PaperMailer.Domain;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

/// <summary>The topics table of the PostgreSQL database (see <see cref="ITopicMirror"/>); several nodes may sync at once.</summary>
public sealed class PostgresTopicMirror(PostgresDatabase database) : ITopicMirror
{
    public async Task SyncAsync(IReadOnlyList<Topic> topics, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Nodes starting together each replace the table; the lock makes them take turns instead of clashing on keys.
        await using (var clear = Command(connection, "LOCK TABLE topics IN EXCLUSIVE MODE; DELETE FROM topics", transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = Command(connection,
            "INSERT INTO topics (id, name, description, keywords, exclude) VALUES (@id, @name, @description, @keywords, @exclude)", transaction);
        var id = Text(insert, "id", null);
        var name = Text(insert, "name", null);
        var description = Text(insert, "description", null);
        var keywords = List(insert, "keywords", null);
        var exclude = List(insert, "exclude", null);
        foreach (var topic in topics)
        {
            id.Value = topic.Id;
            name.Value = topic.Name;
            description.Value = topic.Description;
            keywords.Value = topic.Keywords.ToArray();
            exclude.Value = topic.Exclusions.ToArray();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
