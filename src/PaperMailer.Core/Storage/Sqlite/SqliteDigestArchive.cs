using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

/// <summary>Reads the deliveries table (<see cref="SqliteDeliveryLedger"/> writes it); a subscriber's rows come from its by-subscriber index.</summary>
public sealed class SqliteDigestArchive(SqliteDatabase database) : IDigestArchive
{
    public async Task<DigestDelivery?> GetAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {SqliteDeliveryLedger.Columns} FROM deliveries WHERE id = $id");
        command.Parameters.AddWithValue("$id", deliveryId);
        return (await SqliteDeliveryLedger.ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<DigestDelivery>> ListGivenAsync(long subscriberId, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {SqliteDeliveryLedger.Columns} FROM deliveries WHERE subscriber_id = $s AND status IN {SqliteDeliveryLedger.Given} ORDER BY digest_date DESC, id DESC LIMIT $max");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$max", max);
        return await SqliteDeliveryLedger.ReadAllAsync(command, cancellationToken);
    }

    public async Task<bool> IsFirstAsync(long subscriberId, long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT EXISTS (SELECT 1 FROM deliveries WHERE subscriber_id = $s AND id < $id AND status IN {SqliteDeliveryLedger.Given})");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$id", deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken) is 0L;
    }
}
