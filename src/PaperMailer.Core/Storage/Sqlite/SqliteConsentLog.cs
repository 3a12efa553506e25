using Microsoft.Data.Sqlite;
using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteConsentLog(SqliteDatabase database) : IConsentLog
{
    public async Task AddAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, InsertSql);
        Bind(InsertParameters(command), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddManyAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, InsertSql, transaction);
        var parameters = InsertParameters(command);
        foreach (var record in records)
        {
            Bind(parameters, record);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private const string InsertSql =
        "INSERT INTO consents (subscriber_id, kind, at, ip, user_agent, details) VALUES ($s, $kind, $at, $ip, $agent, $details)";

    private static SqliteParameter[] InsertParameters(SqliteCommand command) =>
        new[] { "$s", "$kind", "$at", "$ip", "$agent", "$details" }
        .Select(name => command.Parameters.Add(name, SqliteType.Text)).ToArray();

    private static void Bind(SqliteParameter[] p, ConsentRecord record)
    {
        p[0].Value = record.SubscriberId;
        p[1].Value = record.Kind;
        p[2].Value = Time(record.At);
        p[3].Value = TextOrNull(record.Ip);
        p[4].Value = TextOrNull(record.UserAgent);
        p[5].Value = record.Details;
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
