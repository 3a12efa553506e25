using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace PaperMailer.Storage.Postgres;

/// <summary>
/// How values are kept in PostgreSQL: times as timestamptz (UTC; PostgreSQL keeps microseconds), dates as date, lists
/// as text[]. Parameters are typed, so a null compares and casts like a value of its column.
/// </summary>
internal static class PostgresValues
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    public static NpgsqlParameter Add(NpgsqlCommand command, string name, NpgsqlDbType type, object? value = null)
    {
        var parameter = new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value };
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static NpgsqlParameter Time(NpgsqlCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    public static NpgsqlParameter Text(NpgsqlCommand command, string name, string? value) => Add(command, name, NpgsqlDbType.Text, value);

    public static NpgsqlParameter Bigint(NpgsqlCommand command, string name, long? value) => Add(command, name, NpgsqlDbType.Bigint, value);

    public static NpgsqlParameter Integer(NpgsqlCommand command, string name, int? value) => Add(command, name, NpgsqlDbType.Integer, value);

    public static NpgsqlParameter List(NpgsqlCommand command, string name, IEnumerable<string>? value) =>
        Add(command, name, NpgsqlDbType.Array | NpgsqlDbType.Text, value?.ToArray());

    /// <summary>A timestamptz from ExecuteScalar, which hands it over as a UTC DateTime.</summary>
    public static DateTimeOffset ScalarTime(object? value) => new(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc));

    public static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? ReadTimeOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? ReadTextOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? ReadIntOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static IReadOnlyList<string> ReadList(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<string[]>(ordinal);

    public static string Matches(IReadOnlyList<IReadOnlyList<string>> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyList<IReadOnlyList<string>> ParseMatches(string json) => JsonSerializer.Deserialize<string[][]>(json) ?? [];
}
