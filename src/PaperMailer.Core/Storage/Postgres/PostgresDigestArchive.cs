using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

/// <summary>Reads the deliveries table (<see cref="PostgresDeliveryLedger"/> writes it).</summary>
public sealed class PostgresDigestArchive(PostgresDatabase database) : IDigestArchive
{
    public async Task<Domain.DigestDelivery?> GetAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {PostgresDeliveryLedger.Columns} FROM deliveries WHERE id = @id");
        Bigint(command, "id", deliveryId);
        return (await PostgresDeliveryLedger.ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<Domain.DigestDelivery>> ListGivenAsync(long subscriberId, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {PostgresDeliveryLedger.Columns} FROM deliveries WHERE subscriber_id = @s AND status IN {PostgresDeliveryLedger.Given} ORDER BY digest_date DESC, id DESC LIMIT @max");
        Bigint(command, "s", subscriberId);
        Integer(command, "max", max);
        return await PostgresDeliveryLedger.ReadAllAsync(command, cancellationToken);
    }

    public async Task<bool> IsFirstAsync(long subscriberId, long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT NOT EXISTS (SELECT 1 FROM deliveries WHERE subscriber_id = @s AND id < @id AND status IN {PostgresDeliveryLedger.Given})");
        Bigint(command, "s", subscriberId);
        Bigint(command, "id", deliveryId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
