using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Collect.Sources;

/// <summary>Hugging Face Daily Papers (<c>GET /api/daily_papers?date=…</c>).</summary>
public sealed class HuggingFaceSourceOptions : HttpSourceOptions
{
    public const string SectionName = "Sources:HuggingFace";

    /// <summary>Default https://huggingface.co.</summary>
    public override string BaseUrl { get; set; } = "https://huggingface.co";

    /// <summary>Default every hour at minute 10: the listing grows through the day, and each run re-reads today.</summary>
    public override string Cron { get; set; } = "0 10 * * * ?";

    /// <summary>Papers asked for per request (<c>limit</c>); further pages follow with <c>p</c>. Default 100.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Pages read per day at most, so a server that ignores paging cannot loop a run. Default 20.</summary>
    [Range(1, 1000)]
    public int MaxPagesPerDay { get; set; } = 20;
}
