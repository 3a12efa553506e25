using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PaperMailer.Storage;

/// <summary>The connection string must be one the chosen provider understands and must name a database.</summary>
internal sealed class StorageOptionsRules : IValidateOptions<StorageOptions>
{
    private const string SqliteExample = "it must be a SQLite connection string such as \"Data Source=data/papermailer.db\"";
    private const string PostgresExample = "with Storage:Provider Postgres it must be an Npgsql connection string such as \"Host=localhost;Database=papermailer;Username=papermailer\"";

    public ValidateOptionsResult Validate(string? name, StorageOptions options) => options.Provider switch
    {
        StorageProvider.Sqlite => ValidateSqlite(options.ConnectionString),
        StorageProvider.Postgres => ValidatePostgres(options.ConnectionString),
        _ => ValidateOptionsResult.Fail($"Storage:Provider is \"{options.Provider}\", but it must be Sqlite or Postgres."),
    };

    private static ValidateOptionsResult ValidateSqlite(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is \"{connectionString}\", but {SqliteExample} ({ex.Message.Split(" For a possible")[0].TrimEnd('.')}).");
        }
        return string.IsNullOrWhiteSpace(builder.DataSource)
            ? ValidateOptionsResult.Fail($"Storage:ConnectionString is \"{connectionString}\", but it names no Data Source; {SqliteExample}.")
            : ValidateOptionsResult.Success;
    }

    // The connection string may carry a password: messages never repeat it, only what is missing or wrong.
    private static ValidateOptionsResult ValidatePostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is not a valid PostgreSQL connection string ({FirstSentence(ex.Message)}); {PostgresExample}.");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            return ValidateOptionsResult.Fail($"Storage:ConnectionString names no Host; {PostgresExample}.");
        if (string.IsNullOrWhiteSpace(builder.Database))
            return ValidateOptionsResult.Fail($"Storage:ConnectionString names no Database; {PostgresExample}.");
        return ValidateOptionsResult.Success;
    }

    private static string FirstSentence(string message) => message.Split(". ")[0].Split(" (Parameter")[0].TrimEnd('.');
}
