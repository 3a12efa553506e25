using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace PaperMailer.Collect.Sources;

/// <summary>The arXiv API (<c>GET /api/query</c>, Atom), newest first, paged back to where the last run stopped.</summary>
public sealed partial class ArxivSourceOptions : HttpSourceOptions, IValidatableObject
{
    /// <summary>arXiv keeps US Eastern time, so its cron is read there by default.</summary>
    public ArxivSourceOptions() => CronTimeZone = "America/New_York";

    public const string SectionName = "Sources:Arxiv";

    /// <summary>Used when Sources:Arxiv:Categories is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultCategories = ["cs.AI", "cs.CL", "cs.LG"];

    /// <summary>Default https://export.arxiv.org.</summary>
    public override string BaseUrl { get; set; } = "https://export.arxiv.org";

    /// <summary>
    /// Default 20:30 US Eastern, Sunday to Thursday: arXiv announces at 20:00 Eastern on those evenings.
    /// </summary>
    public override string Cron { get; set; } = "0 30 20 ? * SUN-THU";

    /// <summary>arXiv categories collected by the API and the announcement feed. Default cs.AI, cs.CL, cs.LG.</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Results per request (<c>max_results</c>). Default 100.</summary>
    [Range(1, 2000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Results read per run at most, however far back the watermark is. Default 2000.</summary>
    [Range(1, 30000)]
    public int MaxResults { get; set; } = 2000;

    /// <summary>
    /// Pause between two requests to arXiv (API and feed alike), which asks for one request at a time at least 3 seconds
    /// apart. Default 3 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RequestInterval { get; set; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<string> EffectiveCategories => Categories.Count > 0 ? Categories : DefaultCategories;

    [GeneratedRegex(@"^[a-z\-]+(\.[A-Za-z\-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var category in Categories.Where(c => !CategoryPattern().IsMatch(c)))
        {
            yield return new ValidationResult($"\"{category}\" is not an arXiv category such as \"cs.LG\" or \"hep-th\".", [nameof(Categories)]);
        }
    }
}
