using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteConsentLog(SqliteDatabase database) : IConsentLog
{
    public async Task AddAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO consents (subscriber_id, kind, at, ip, user_agent, details) VALUES ($s, $kind, $at, $ip, $agent, $details)");
        command.Parameters.AddWithValue("$s", record.SubscriberId);
        command.Parameters.AddWithValue("$kind", record.Kind);
        command.Parameters.AddWithValue("$at", Time(record.At));
        command.Parameters.AddWithValue("$ip", TextOrNull(record.Ip));
        command.Parameters.AddWithValue("$agent", TextOrNull(record.UserAgent));
        command.Parameters.AddWithValue("$details", record.Details);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ConsentRecord>> ListAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id, subscriber_id, kind, at, ip, user_agent, details FROM consents WHERE subscriber_id = $s ORDER BY id");
        command.Parameters.AddWithValue("$s", subscriberId);
        var records = new List<ConsentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ConsentRecord
            {
                Id = reader.GetInt64(0),
                SubscriberId = reader.GetInt64(1),
                Kind = reader.GetString(2),
                At = ReadTime(reader, "at"),
                Ip = ReadTextOrNull(reader, "ip"),
                UserAgent = ReadTextOrNull(reader, "user_agent"),
                Details = reader.GetString(6),
            });
        }
        return records;
    }

    public async Task<int> CountSinceAsync(long subscriberId, string kind, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*) FROM consents WHERE subscriber_id = $s AND kind = $kind AND at >= $since");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$since", Time(since));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }
}
