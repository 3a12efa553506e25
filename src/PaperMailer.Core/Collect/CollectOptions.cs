using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Collect;

public sealed class CollectOptions
{
    public const string SectionName = "Collect";

    /// <summary>
    /// Papers files (Hugging Face daily_papers JSON) read by every scheduled collection; missing files are skipped
    /// with a warning. Default: none.
    /// </summary>
    public List<string> Files { get; set; } = [];

    /// <summary>Quartz cron expression for the scheduled collection. Default every hour at minute 5.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Cron { get; set; } = "0 5 * * * ?";
}
