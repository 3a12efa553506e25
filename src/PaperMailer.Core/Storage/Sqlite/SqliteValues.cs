using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PaperMailer.Storage.Sqlite;

/// <summary>
/// How values are kept in SQLite: times as UTC ISO-8601 text (sorts correctly as text and stays readable in the
/// sqlite3 shell), dates as yyyy-MM-dd, lists as JSON arrays.
/// </summary>
internal static class SqliteValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static object TimeOrNull(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    public static object TextOrNull(string? value) => value is null ? DBNull.Value : value;

    public static object IntOrNull(int? value) => value is { } v ? v : DBNull.Value;

    public static DateTimeOffset ReadTime(SqliteDataReader reader, string column) => ParseTime(reader.GetString(reader.GetOrdinal(column)));

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A parameter whose SQLite type follows the value bound to it (integers stay integers).</summary>
    public static SqliteParameter Parameter(SqliteCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static DateTimeOffset? ReadTimeOrNull(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : ReadTime(reader, column);
    }

    public static DateOnly ReadDate(SqliteDataReader reader, string column) =>
        DateOnly.ParseExact(reader.GetString(reader.GetOrdinal(column)), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> ReadList(SqliteDataReader reader, string column) => ParseList(reader.GetString(reader.GetOrdinal(column)));

    public static IReadOnlyList<string> ParseList(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>A list per paper (what each matched), as a JSON array of arrays.</summary>
    public static string Matches(IReadOnlyList<IReadOnlyList<string>> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyList<IReadOnlyList<string>> ParseMatches(string json) => JsonSerializer.Deserialize<string[][]>(json) ?? [];

    public static string? ReadTextOrNull(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static int? ReadIntOrNull(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
