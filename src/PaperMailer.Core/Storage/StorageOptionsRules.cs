using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace PaperMailer.Storage;

/// <summary>The connection string must be one SQLite understands and must name a database.</summary>
internal sealed class StorageOptionsRules : IValidateOptions<StorageOptions>
{
    private const string Example = "it must be a SQLite connection string such as \"Data Source=data/papermailer.db\"";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is \"{options.ConnectionString}\", but {Example} ({ex.Message.Split(" For a possible")[0].TrimEnd('.')}).");
        }
        return string.IsNullOrWhiteSpace(builder.DataSource)
            ? ValidateOptionsResult.Fail($"Storage:ConnectionString is \"{options.ConnectionString}\", but it names no Data Source; {Example}.")
            : ValidateOptionsResult.Success;
    }
}
