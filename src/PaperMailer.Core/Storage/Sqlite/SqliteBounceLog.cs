using Microsoft.Data.Sqlite;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteBounceLog(SqliteDatabase database) : IBounceLog
{
    public async Task<bool> ContainsAsync(string reportKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*) FROM bounce_reports WHERE report_key = $key");
        command.Parameters.AddWithValue("$key", reportKey);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    public async Task<bool> AddAsync(BounceRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO bounce_reports (report_key, kind, delivery_id, subscriber_id, recipient, status, detail, at)
            VALUES ($key, $kind, $delivery, $subscriber, $recipient, $status, $detail, $at)
            ON CONFLICT (report_key) DO NOTHING
            """);
        command.Parameters.AddWithValue("$key", record.ReportKey);
        command.Parameters.AddWithValue("$kind", record.Kind);
        command.Parameters.AddWithValue("$delivery", record.DeliveryId is { } d ? d : DBNull.Value);
        command.Parameters.AddWithValue("$subscriber", record.SubscriberId is { } s ? s : DBNull.Value);
        command.Parameters.AddWithValue("$recipient", TextOrNull(record.Recipient));
        command.Parameters.AddWithValue("$status", TextOrNull(record.Status));
        command.Parameters.AddWithValue("$detail", TextOrNull(record.Detail));
        command.Parameters.AddWithValue("$at", Time(record.At));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<BouncedDigest?> FindDigestAsync(long deliveryId, CancellationToken cancellationToken = default) =>
        FindDigestAsync("id = $value", deliveryId, cancellationToken);

    public Task<BouncedDigest?> FindDigestByMessageIdAsync(string messageId, CancellationToken cancellationToken = default) =>
        FindDigestAsync("message_id = $value", messageId, cancellationToken);

    private async Task<BouncedDigest?> FindDigestAsync(string condition, object value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT id, subscriber_id, email FROM deliveries WHERE {condition}");
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BouncedDigest(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)) : null;
    }

    public async Task<int> CountAsync(long subscriberId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*) FROM bounce_reports WHERE subscriber_id = $s AND kind = $kind");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$kind", kind);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByKindSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT kind, COUNT(*) FROM bounce_reports WHERE at >= $since GROUP BY kind");
        command.Parameters.AddWithValue("$since", Time(since));
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    public async Task<IReadOnlyList<(string Email, int Count)>> MostReportedAsync(string kind, DateTimeOffset since, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT s.email, COUNT(*) AS reports FROM bounce_reports b JOIN subscribers s ON s.id = b.subscriber_id
            WHERE b.kind = $kind AND b.at >= $since GROUP BY s.id ORDER BY reports DESC, s.email LIMIT $max
            """);
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$since", Time(since));
        command.Parameters.AddWithValue("$max", max);
        var rows = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.GetInt32(1)));
        return rows;
    }
}
