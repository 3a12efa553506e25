using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Storage;

/// <summary>Which database engine holds PaperMailer's data.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file: one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: several nodes may share it (and Quartz's clustered job store on it).</summary>
    Postgres,
}

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The database engine. Default: <see cref="StorageProvider.Sqlite"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string for <see cref="Provider"/>. Default: a SQLite file under data/ (created with its folder
    /// on first use). For PostgreSQL an Npgsql connection string naming Host and Database, e.g.
    /// "Host=db.example.org;Port=5432;Database=papermailer;Username=papermailer" with the password from the environment.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=data/papermailer.db";
}
