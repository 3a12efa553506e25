using Npgsql;
using PaperMailer.Domain;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresConsentLog(PostgresDatabase database) : IConsentLog
{
    private const string InsertSql =
        "INSERT INTO consents (subscriber_id, kind, at, ip, user_agent, details) VALUES (@s, @kind, @at, @ip, @agent, @details)";

    public Task AddAsync(ConsentRecord record, CancellationToken cancellationToken = default) => AddManyAsync([record], cancellationToken);

    public async Task AddManyAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, InsertSql, transaction);
        NpgsqlParameter[] p =
        [
            Bigint(command, "s", null), Text(command, "kind", null), Time(command, "at", null), Text(command, "ip", null),
            Text(command, "agent", null), Text(command, "details", null),
        ];
        foreach (var record in records)
        {
            p[0].Value = record.SubscriberId;
            p[1].Value = record.Kind;
            p[2].Value = record.At.ToUniversalTime();
            p[3].Value = (object?)record.Ip ?? DBNull.Value;
            p[4].Value = (object?)record.UserAgent ?? DBNull.Value;
            p[5].Value = record.Details;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ConsentRecord>> ListAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id, subscriber_id, kind, at, ip, user_agent, details FROM consents WHERE subscriber_id = @s ORDER BY id");
        Bigint(command, "s", subscriberId);
        var records = new List<ConsentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ConsentRecord
            {
                Id = reader.GetInt64(0),
                SubscriberId = reader.GetInt64(1),
                Kind = reader.GetString(2),
                At = ReadTime(reader, 3),
                Ip = ReadTextOrNull(reader, 4),
                UserAgent = ReadTextOrNull(reader, 5),
                Details = reader.GetString(6),
            });
        }
        return records;
    }

    public async Task<int> CountSinceAsync(long subscriberId, string kind, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*)::int FROM consents WHERE subscriber_id = @s AND kind = @kind AND at >= @since");
        Bigint(command, "s", subscriberId);
        Text(command, "kind", kind);
        Time(command, "since", since);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
