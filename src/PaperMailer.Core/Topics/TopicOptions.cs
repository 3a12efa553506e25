using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Topics;

public sealed class TopicOptions
{
    public const string SectionName = "Topics";

    /// <summary>The preset topics file. Default "config/topics.json".</summary>
    [Required(AllowEmptyStrings = false)]
    public string File { get; set; } = "config/topics.json";
}
