using Npgsql;

namespace PaperMailer.Storage.Postgres;

/// <summary>
/// <see cref="IClusterNodes"/> in PostgreSQL: one row per live node. Joining runs under a transaction-scoped advisory
/// lock, so two nodes starting at once with different fingerprints cannot both find the cluster empty.
/// </summary>
public sealed class PostgresClusterNodes(NpgsqlDataSource dataSource) : IClusterNodes
{
    /// <summary>The advisory lock key of joining ("PMclustr" as a number); nothing else takes it.</summary>
    private const long JoinLock = 0x504D_636C_7573_7472;

    public async Task<ClusterNode?> JoinAsync(ClusterNode node, TimeSpan liveWithin, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("lock", JoinLock));
        await using (var read = new NpgsqlCommand("""
            SELECT node_id, templates_hash, signing_key_hash, dkim_hash FROM cluster_nodes
            WHERE node_id <> @id AND seen_at > now() - @live AND (templates_hash <> @templates OR signing_key_hash <> @key OR dkim_hash <> @dkim)
            ORDER BY seen_at DESC LIMIT 1
            """, connection))
        {
            read.Parameters.AddWithValue("id", node.NodeId);
            read.Parameters.AddWithValue("live", liveWithin);
            read.Parameters.AddWithValue("templates", node.TemplatesHash);
            read.Parameters.AddWithValue("key", node.SigningKeyHash);
            read.Parameters.AddWithValue("dkim", node.DkimHash);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken)) return new ClusterNode(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
        }
        await Execute(connection, """
            INSERT INTO cluster_nodes (node_id, templates_hash, signing_key_hash, dkim_hash, joined_at, seen_at) VALUES (@id, @templates, @key, @dkim, now(), now())
            ON CONFLICT (node_id) DO UPDATE SET templates_hash = excluded.templates_hash, signing_key_hash = excluded.signing_key_hash, dkim_hash = excluded.dkim_hash, seen_at = now()
            """, cancellationToken, ("id", node.NodeId), ("templates", node.TemplatesHash), ("key", node.SigningKeyHash), ("dkim", node.DkimHash));
        // Rows of nodes long gone (killed, never left) would otherwise pile up.
        await Execute(connection, "DELETE FROM cluster_nodes WHERE seen_at < now() - interval '1 day'", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task SeenAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "UPDATE cluster_nodes SET seen_at = now() WHERE node_id = @id", cancellationToken, ("id", nodeId));
    }

    public async Task LeaveAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "DELETE FROM cluster_nodes WHERE node_id = @id", cancellationToken, ("id", nodeId));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
