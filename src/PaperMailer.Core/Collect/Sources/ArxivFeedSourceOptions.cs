namespace PaperMailer.Collect.Sources;

/// <summary>
/// arXiv's announcement feed (<c>GET /atom/cat1+cat2</c> on rss.arxiv.org) for the categories in
/// Sources:Arxiv:Categories. It lists only the latest announcement; missed days are caught up by the API source.
/// </summary>
public sealed class ArxivFeedSourceOptions : HttpSourceOptions
{
    /// <summary>arXiv keeps US Eastern time, so its cron is read there by default.</summary>
    public ArxivFeedSourceOptions() => CronTimeZone = "America/New_York";

    public const string SectionName = "Sources:ArxivFeed";

    /// <summary>Default https://rss.arxiv.org.</summary>
    public override string BaseUrl { get; set; } = "https://rss.arxiv.org";

    /// <summary>Default 00:30 US Eastern, Monday to Friday: the feed is rebuilt around midnight Eastern after each announcement.</summary>
    public override string Cron { get; set; } = "0 30 0 ? * MON-FRI";

    /// <summary>Also take entries announced as "replace"/"replace-cross" (new versions of older papers). Default false.</summary>
    public bool IncludeReplacements { get; set; }
}
