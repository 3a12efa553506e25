using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>ADO.NET connection string. Default: a SQLite file under data/ (created with its folder on first use).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=data/papermailer.db";
}
