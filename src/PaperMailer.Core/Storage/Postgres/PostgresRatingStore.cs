using PaperMailer.Rank.Feedback;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

/// <summary>The ratings table of the PostgreSQL database (see <see cref="IRatingStore"/>).</summary>
public sealed class PostgresRatingStore(PostgresDatabase database) : IRatingStore
{
    public async Task RateAsync(Rating rating, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rating);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO ratings (subscriber_id, paper_id, vote, rated_at) VALUES (@s, @p, @v, @at)
            ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET vote = excluded.vote, rated_at = excluded.rated_at
            """);
        Bigint(command, "s", rating.SubscriberId);
        Text(command, "p", rating.PaperId);
        Integer(command, "v", (int)rating.Vote);
        Time(command, "at", rating.RatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<Rating>>> GetAsync(IReadOnlyCollection<long> subscriberIds, int perSubscriber, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<long, List<Rating>>();
        if (subscriberIds.Count == 0) return new Dictionary<long, IReadOnlyList<Rating>>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT subscriber_id, paper_id, vote, rated_at FROM ratings
            WHERE subscriber_id = ANY(@ids)
            ORDER BY subscriber_id, rated_at DESC, paper_id
            """);
        Add(command, "ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, subscriberIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var subscriber = reader.GetInt64(0);
            if (!found.TryGetValue(subscriber, out var list)) found[subscriber] = list = [];
            if (list.Count < perSubscriber) list.Add(new Rating(subscriber, reader.GetString(1), (Vote)reader.GetInt16(2), ReadTime(reader, 3)));
        }
        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<Rating>)f.Value);
    }

    public async Task<int> ClearAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM ratings WHERE subscriber_id = @s");
        Bigint(command, "s", subscriberId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
