using System.Globalization;
using System.Runtime.CompilerServices;
using PaperMailer.Domain;

namespace PaperMailer.Render;

/// <summary>
/// Builds the data digest templates see. Keys are snake_case and documented in templates/README.md; every key is
/// always present (null when a paper lacks it), so strict rendering can tell a misspelling from a missing value.
/// Dates are already in the subscriber's time zone.
/// </summary>
public static class DigestTemplateModel
{
    public static Dictionary<string, object?> Build(DigestContent content, TemplateOptions options)
    {
        var subscriber = content.Subscriber;
        var zone = TimeZoneOf(subscriber);
        var papers = content.Papers.Select((ranked, i) => Paper(ranked.Paper, ranked.Score, ranked.Matched, i + 1, options, zone)).ToList();
        // The "Trending today" section goes on counting where the personal one stopped.
        var trending = content.Trending.Select((ranked, i) => Paper(ranked.Paper, ranked.Score, ranked.Matched, papers.Count + i + 1, options, zone)).ToList();
        foreach (var paper in trending) paper["trending"] = true;
        return new Dictionary<string, object?>
        {
            ["site_name"] = options.SiteName,
            ["subscriber"] = new Dictionary<string, object?>
            {
                ["email"] = subscriber.Email,
                ["name"] = subscriber.Name,
                ["greeting_name"] = string.IsNullOrWhiteSpace(subscriber.Name) ? "there" : subscriber.Name,
                ["topics"] = subscriber.Topics,
                ["keywords"] = subscriber.Keywords,
                ["time_zone"] = subscriber.TimeZone,
                ["delivery_hour"] = subscriber.DeliveryHour,
                ["frequency"] = subscriber.Frequency.ToString().ToLowerInvariant(),
                ["trending"] = subscriber.Trending,
            },
            ["digest_date"] = content.DigestDate.ToDateTime(TimeOnly.MinValue),
            ["papers"] = papers,
            ["trending"] = trending,
            ["paper_count"] = papers.Count + trending.Count,
            ["unsubscribe_url"] = content.UnsubscribeUrl,
            ["manage_url"] = content.ManageUrl,
            ["profile_summary"] = string.Join(", ", subscriber.Topics.Concat(subscriber.Keywords)),
        };
    }

    private static Dictionary<string, object?> Paper(Paper paper, double score, IReadOnlyList<string> matched, int position, TemplateOptions options, TimeZoneInfo zone)
    {
        var shown = Shown.Get(new ShownKey(paper, options.MaxAuthors), key => ShownOf(key.Paper, key.MaxAuthors));
        return new Dictionary<string, object?>
        {
            ["position"] = position,
            ["id"] = paper.Id,
            ["title"] = paper.Title,
            ["url"] = paper.HuggingFaceUrl ?? paper.ArxivUrl,
            ["arxiv_url"] = paper.ArxivUrl,
            ["pdf_url"] = paper.PdfUrl,
            ["hugging_face_url"] = paper.HuggingFaceUrl,
            ["authors"] = shown.Authors,
            ["author_count"] = paper.Authors.Count,
            ["abstract"] = paper.Abstract,
            ["excerpt"] = Excerpt(paper.Abstract, position <= options.FullAbstractPapers ? options.AbstractLength : options.ShortAbstractLength),
            ["ai_summary"] = paper.AiSummary,
            ["matched"] = matched,
            ["trending"] = false,
            ["score"] = score.ToString("0.00", CultureInfo.InvariantCulture),
            ["upvotes"] = paper.Upvotes,
            ["comments"] = paper.Comments,
            ["github_repo"] = shown.GithubRepo,
            ["project_page"] = shown.ProjectPage,
            ["published_at"] = Local(paper.PublishedAt, zone),
            ["first_seen_at"] = Local(paper.FirstSeenAt, zone),
        };
    }

    /// <summary>
    /// What a paper shows the same in every digest: worked out once per paper and remembered, as the same paper object
    /// (a digest run hands every digest the same ones), since parsing two links and joining the authors for each paper of
    /// each digest was a good part of building its model.
    /// </summary>
    private static readonly RememberedResults<ShownKey, ShownPaper> Shown = new(20_000);

    private sealed record ShownPaper(string Authors, string? GithubRepo, string? ProjectPage);

    private readonly record struct ShownKey(Paper Paper, int MaxAuthors)
    {
        public bool Equals(ShownKey other) => ReferenceEquals(Paper, other.Paper) && MaxAuthors == other.MaxAuthors;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Paper), MaxAuthors);
    }

    private static ShownPaper ShownOf(Paper paper, int maxAuthors) => new(
        paper.Authors.Count <= maxAuthors
            ? string.Join(", ", paper.Authors)
            : string.Join(", ", paper.Authors.Take(maxAuthors)) + " et al.",
        WebUrl(paper.GithubRepo),
        WebUrl(paper.ProjectPage));

    /// <summary>Links from sources are shown only when they are plain web addresses (never javascript: or data:).</summary>
    private static string? WebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? url : null;

    /// <summary>The subscriber's wall-clock time for a moment: what format_date prints.</summary>
    private static DateTime? Local(DateTimeOffset? moment, TimeZoneInfo zone) =>
        moment is { } value ? TimeZoneInfo.ConvertTime(value, zone).DateTime : null;

    /// <summary>The subscriber's zone; an id this machine does not know falls back to UTC rather than failing the digest.</summary>
    private static TimeZoneInfo TimeZoneOf(Subscriber subscriber) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(subscriber.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Cuts at the last word boundary before <paramref name="length"/> and marks the cut with an ellipsis.</summary>
    /// <remarks>Remembered: a digest run shows each paper's excerpt to every subscriber it is ranked for.</remarks>
    public static string Excerpt(string text, int length) => Excerpts.Get(new ExcerptKey(text, length), key => Cut(key.Text, key.Length));

    private static readonly RememberedResults<ExcerptKey, string> Excerpts = new(20_000);

    /// <summary>An abstract as the same string (every digest of a run shows the same paper's), not hashed character by character on each lookup.</summary>
    private readonly record struct ExcerptKey(string Text, int Length)
    {
        public bool Equals(ExcerptKey other) => ReferenceEquals(Text, other.Text) && Length == other.Length;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Text), Length);
    }

    private static string Cut(string text, int length)
    {
        // Abstracts arrive with the line breaks of their source; an excerpt is one flowing paragraph.
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= length) return text;
        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > length / 2 ? cut : length)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }
}
