using Microsoft.Data.Sqlite;
using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteDeliveryLedger(SqliteDatabase database) : IDeliveryLedger
{
    // Served by the (subscriber_id, digest_date) unique index: only this subscriber's rows are visited, however
    // long the ledger grows.
    internal const string CountFailedSql =
        "SELECT COUNT(*) FROM deliveries WHERE subscriber_id = $s AND status = 'Failed' AND id <> $except";

    private const string Columns =
        "id, subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, last_reply, created_at, updated_at, next_attempt_at, sent_at, " +
        "last_status_code, last_enhanced_status_code";

    public async Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE subscriber_id = $s AND digest_date = $d");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$d", Date(digestDate));
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<DateOnly?> GetLatestDigestDateAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT MAX(digest_date) FROM deliveries WHERE subscriber_id = $s");
        command.Parameters.AddWithValue("$s", subscriberId);
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? DateOnly.ParseExact(text, "yyyy-MM-dd") : null;
    }

    public async Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT paper_id FROM sent_papers WHERE subscriber_id = $s");
        command.Parameters.AddWithValue("$s", subscriberId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<DigestDelivery?> TryCreateAsync(DigestDelivery delivery, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long id;
        await using (var insert = Command(connection,
            "INSERT INTO deliveries (subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, created_at, updated_at) " +
            "VALUES ($s, $email, $d, $mid, $papers, $status, 0, $at, $at) ON CONFLICT (subscriber_id, digest_date) DO NOTHING RETURNING id", transaction))
        {
            insert.Parameters.AddWithValue("$s", delivery.SubscriberId);
            insert.Parameters.AddWithValue("$email", delivery.Email);
            insert.Parameters.AddWithValue("$d", Date(delivery.DigestDate));
            insert.Parameters.AddWithValue("$mid", delivery.MessageId);
            insert.Parameters.AddWithValue("$papers", List(delivery.PaperIds));
            insert.Parameters.AddWithValue("$status", delivery.Status.ToString());
            insert.Parameters.AddWithValue("$at", Time(delivery.CreatedAt));
            if (await insert.ExecuteScalarAsync(cancellationToken) is not long newId)
            {
                return null;
            }
            id = newId;
        }
        await using (var reserve = Command(connection,
            "INSERT INTO sent_papers (subscriber_id, paper_id, delivery_id) VALUES ($s, $p, $id) ON CONFLICT DO NOTHING", transaction))
        {
            reserve.Parameters.AddWithValue("$s", delivery.SubscriberId);
            reserve.Parameters.AddWithValue("$id", id);
            var paper = reserve.Parameters.Add("$p", SqliteType.Text);
            foreach (var paperId in delivery.PaperIds)
            {
                paper.Value = paperId;
                if (await reserve.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    // Another run gave this paper to the subscriber since the candidates were read: never twice.
                    return null;
                }
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return delivery with { Id = id };
    }

    public async Task<DigestDelivery> BeginAttemptAsync(long deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"UPDATE deliveries SET status = 'Sending', attempts = attempts + 1, updated_at = $at WHERE id = $id RETURNING {Columns}");
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$at", Time(at));
        return (await ReadAllAsync(command, cancellationToken)).Single();
    }

    public async Task RecordOutcomeAsync(long deliveryId, DeliveryStatus status, string? reply, int? statusCode, string? enhancedStatusCode,
        DateTimeOffset at, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE deliveries SET status = $status, last_reply = $reply, last_status_code = $code, last_enhanced_status_code = $enhanced, " +
            "updated_at = $at, next_attempt_at = $next, sent_at = CASE WHEN $status = 'Sent' THEN $at ELSE sent_at END WHERE id = $id");
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$status", status.ToString());
        command.Parameters.AddWithValue("$reply", TextOrNull(reply));
        command.Parameters.AddWithValue("$code", IntOrNull(statusCode));
        command.Parameters.AddWithValue("$enhanced", TextOrNull(enhancedStatusCode));
        command.Parameters.AddWithValue("$at", Time(at));
        command.Parameters.AddWithValue("$next", TimeOrNull(nextAttemptAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DigestDelivery>> ListPendingAsync(DateTimeOffset? dueAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {Columns} FROM deliveries WHERE status IN ('Queued', 'Sending', 'Deferred') " +
            "AND ($due IS NULL OR next_attempt_at IS NULL OR next_attempt_at <= $due) ORDER BY id");
        command.Parameters.AddWithValue("$due", TimeOrNull(dueAt));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE $d IS NULL OR digest_date = $d ORDER BY id");
        command.Parameters.AddWithValue("$d", digestDate is { } d ? Date(d) : DBNull.Value);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<int> CountFailedAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, CountFailedSql);
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$except", exceptDeliveryId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<DigestDelivery>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<DigestDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DigestDelivery
            {
                Id = reader.GetInt64(0),
                SubscriberId = reader.GetInt64(1),
                Email = reader.GetString(2),
                DigestDate = ReadDate(reader, "digest_date"),
                MessageId = reader.GetString(4),
                PaperIds = ReadList(reader, "paper_ids"),
                Status = Enum.Parse<DeliveryStatus>(reader.GetString(6)),
                Attempts = reader.GetInt32(7),
                LastReply = ReadTextOrNull(reader, "last_reply"),
                CreatedAt = ReadTime(reader, "created_at"),
                UpdatedAt = ReadTime(reader, "updated_at"),
                NextAttemptAt = ReadTimeOrNull(reader, "next_attempt_at"),
                SentAt = ReadTimeOrNull(reader, "sent_at"),
                LastStatusCode = ReadIntOrNull(reader, "last_status_code"),
                LastEnhancedStatusCode = ReadTextOrNull(reader, "last_enhanced_status_code"),
            });
        }
        return result;
    }
}
