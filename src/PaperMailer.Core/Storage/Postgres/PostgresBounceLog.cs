using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresBounceLog(PostgresDatabase database) : IBounceLog
{
    public async Task<bool> ContainsAsync(string reportKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT EXISTS (SELECT 1 FROM bounce_reports WHERE report_key = @key)");
        Text(command, "key", reportKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> AddAsync(BounceRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO bounce_reports (report_key, kind, delivery_id, subscriber_id, recipient, status, detail, at)
            VALUES (@key, @kind, @delivery, @subscriber, @recipient, @status, @detail, @at)
            ON CONFLICT (report_key) DO NOTHING
            """);
        Text(command, "key", record.ReportKey);
        Text(command, "kind", record.Kind);
        Bigint(command, "delivery", record.DeliveryId);
        Bigint(command, "subscriber", record.SubscriberId);
        Text(command, "recipient", record.Recipient);
        Text(command, "status", record.Status);
        Text(command, "detail", record.Detail);
        Time(command, "at", record.At);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<BouncedDigest?> FindDigestAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id, subscriber_id, email FROM deliveries WHERE id = @value");
        Bigint(command, "value", deliveryId);
        return await ReadDigestAsync(command, cancellationToken);
    }

    public async Task<BouncedDigest?> FindDigestByMessageIdAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id, subscriber_id, email FROM deliveries WHERE message_id = @value");
        Text(command, "value", messageId);
        return await ReadDigestAsync(command, cancellationToken);
    }

    private static async Task<BouncedDigest?> ReadDigestAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BouncedDigest(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)) : null;
    }

    public async Task<int> CountAsync(long subscriberId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*)::int FROM bounce_reports WHERE subscriber_id = @s AND kind = @kind");
        Bigint(command, "s", subscriberId);
        Text(command, "kind", kind);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByKindSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT kind, COUNT(*)::int FROM bounce_reports WHERE at >= @since GROUP BY kind");
        Time(command, "since", since);
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    public async Task<IReadOnlyList<(string Email, int Count)>> MostReportedAsync(string kind, DateTimeOffset since, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT s.email, COUNT(*)::int AS reports FROM bounce_reports b JOIN subscribers s ON s.id = b.subscriber_id
            WHERE b.kind = @kind AND b.at >= @since GROUP BY s.id ORDER BY reports DESC, s.email COLLATE "C" LIMIT @max
            """);
        Text(command, "kind", kind);
        Time(command, "since", since);
        Integer(command, "max", max);
        var rows = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.GetInt32(1)));
        return rows;
    }
}
