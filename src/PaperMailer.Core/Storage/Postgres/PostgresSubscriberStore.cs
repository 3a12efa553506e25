using Npgsql;
using NpgsqlTypes;
using PaperMailer.Domain;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresSubscriberStore(PostgresDatabase database) : ISubscriberStore
{
    private const string Columns = "id, email, name, status, time_zone, delivery_hour, frequency, topics, keywords, excluded_terms, max_papers, created_at, status_changed_at, trending, weekday";

    private const string InsertSql =
        "INSERT INTO subscribers (email, email_normalized, name, status, time_zone, delivery_hour, frequency, topics, keywords, excluded_terms, max_papers, created_at, status_changed_at, trending, weekday) " +
        "VALUES (@email, @normalized, @name, @status, @tz, @hour, @frequency, @topics, @keywords, @excluded, @max, @created, @changed, @trending, @weekday) RETURNING id";

    private const string UpdateProfileSql =
        "UPDATE subscribers SET name = @name, topics = @topics, keywords = @keywords, excluded_terms = @excluded, time_zone = @tz, " +
        "delivery_hour = @hour, frequency = @frequency, max_papers = @max, trending = @trending, weekday = @weekday WHERE id = @id";

    public async Task<Subscriber> AddAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, InsertSql);
        var parameters = InsertParameters(command);
        Bind(parameters, subscriber);
        try
        {
            return subscriber with { Id = (long)(await command.ExecuteScalarAsync(cancellationToken))! };
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateSubscriberException(subscriber.Email);
        }
    }

    public Task AddManyAsync(IReadOnlyList<Subscriber> subscribers, CancellationToken cancellationToken = default) =>
        ImportAsync(subscribers, [], cancellationToken);

    public async Task ImportAsync(IReadOnlyList<Subscriber> additions, IReadOnlyList<Subscriber> profileUpdates, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(connection, InsertSql, transaction))
        {
            var parameters = InsertParameters(insert);
            foreach (var subscriber in additions)
            {
                Bind(parameters, subscriber);
                try
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new DuplicateSubscriberException(subscriber.Email);
                }
            }
        }
        await using (var update = Command(connection, UpdateProfileSql, transaction))
        {
            var parameters = UpdateProfileParameters(update);
            foreach (var subscriber in profileUpdates)
            {
                BindProfile(parameters, subscriber);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Subscriber>> GetByEmailsAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        if (emails.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM subscribers WHERE email_normalized = ANY(@emails)");
        List(command, "emails", emails.Select(SubscriberEmails.Normalize));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<Subscriber?> GetByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM subscribers WHERE email_normalized = @email");
        Text(command, "email", SubscriberEmails.Normalize(email));
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<Subscriber?> GetByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM subscribers WHERE id = @id");
        Bigint(command, "id", id);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<Subscriber>> ListAsync(SubscriberStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM subscribers WHERE @status IS NULL OR status = @status ORDER BY id");
        Text(command, "status", status?.ToString());
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, Subscriber>> GetByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return new Dictionary<long, Subscriber>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM subscribers WHERE id = ANY(@ids)");
        Add(command, "ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, ids.ToArray());
        return (await ReadAllAsync(command, cancellationToken)).ToDictionary(s => s.Id);
    }

    public async Task<int> CountAsync(SubscriberStatus status, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*)::int FROM subscribers WHERE status = @status");
        Text(command, "status", status.ToString());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> UpdateProfileAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, UpdateProfileSql);
        BindProfile(UpdateProfileParameters(command), subscriber);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> SetStatusAsync(long id, SubscriberStatus status, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "UPDATE subscribers SET status = @status, status_changed_at = @at WHERE id = @id");
        Text(command, "status", status.ToString());
        Time(command, "at", at);
        Bigint(command, "id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static NpgsqlParameter[] UpdateProfileParameters(NpgsqlCommand c) =>
    [
        Bigint(c, "id", null), Text(c, "name", null), List(c, "topics", null), List(c, "keywords", null), List(c, "excluded", null),
        Text(c, "tz", null), Integer(c, "hour", null), Text(c, "frequency", null), Integer(c, "max", null),
        Add(c, "trending", NpgsqlDbType.Boolean), Integer(c, "weekday", null),
    ];

    private static void BindProfile(NpgsqlParameter[] p, Subscriber s)
    {
        p[0].Value = s.Id;
        p[1].Value = (object?)s.Name ?? DBNull.Value;
        p[2].Value = s.Profile.Topics.ToArray();
        p[3].Value = s.Profile.Keywords.ToArray();
        p[4].Value = s.Profile.Exclusions.ToArray();
        p[5].Value = s.TimeZone;
        p[6].Value = s.DeliveryHour;
        p[7].Value = s.Frequency.ToString();
        p[8].Value = s.MaxPapers;
        p[9].Value = s.Profile.Trending;
        p[10].Value = Weekday(s);
    }

    private static NpgsqlParameter[] InsertParameters(NpgsqlCommand c) =>
    [
        Text(c, "email", null), Text(c, "normalized", null), Text(c, "name", null), Text(c, "status", null), Text(c, "tz", null),
        Integer(c, "hour", null), Text(c, "frequency", null), List(c, "topics", null), List(c, "keywords", null), List(c, "excluded", null),
        Integer(c, "max", null), Time(c, "created", null), Time(c, "changed", null), Add(c, "trending", NpgsqlDbType.Boolean), Integer(c, "weekday", null),
    ];

    private static void Bind(NpgsqlParameter[] p, Subscriber s)
    {
        p[0].Value = s.Email.Trim();
        p[1].Value = SubscriberEmails.Normalize(s.Email);
        p[2].Value = (object?)s.Name ?? DBNull.Value;
        p[3].Value = s.Status.ToString();
        p[4].Value = s.TimeZone;
        p[5].Value = s.DeliveryHour;
        p[6].Value = s.Frequency.ToString();
        p[7].Value = s.Profile.Topics.ToArray();
        p[8].Value = s.Profile.Keywords.ToArray();
        p[9].Value = s.Profile.Exclusions.ToArray();
        p[10].Value = s.MaxPapers;
        p[11].Value = s.CreatedAt.ToUniversalTime();
        p[12].Value = s.StatusChangedAt is { } changed ? changed.ToUniversalTime() : DBNull.Value;
        p[13].Value = s.Profile.Trending;
        p[14].Value = Weekday(s);
    }

    private static object Weekday(Subscriber s) => s.Weekday is { } day ? (int)day : DBNull.Value;

    private static async Task<IReadOnlyList<Subscriber>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<Subscriber>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(Read(reader));
        return result;
    }

    /// <summary>A subscriber from the first columns of a row, in the order of <see cref="Columns"/>.</summary>
    internal static Subscriber Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Email = reader.GetString(1),
        Name = ReadTextOrNull(reader, 2),
        Status = Enum.Parse<SubscriberStatus>(reader.GetString(3)),
        TimeZone = reader.GetString(4),
        DeliveryHour = reader.GetInt32(5),
        Frequency = Enum.Parse<DigestFrequency>(reader.GetString(6)),
        Profile = new SubscriberProfile
        {
            Topics = ReadList(reader, 7),
            Keywords = ReadList(reader, 8),
            Exclusions = ReadList(reader, 9),
            Trending = reader.GetBoolean(13),
        },
        MaxPapers = reader.GetInt32(10),
        CreatedAt = ReadTime(reader, 11),
        StatusChangedAt = ReadTimeOrNull(reader, 12),
        Weekday = ReadIntOrNull(reader, 14) is { } day ? (DayOfWeek)day : null,
    };
}
