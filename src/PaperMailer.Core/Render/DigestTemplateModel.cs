using System.Globalization;
using PaperMailer.Domain;

namespace PaperMailer.Render;

/// <summary>
/// Builds the data templates see. Keys are camelCase and documented in templates/README.md; everything is plain
/// text here, and the HTML templates escape it (the text templates do not need to).
/// </summary>
public static class DigestTemplateModel
{
    public static Dictionary<string, object?> Build(DigestContent content, TemplateOptions options)
    {
        var subscriber = content.Subscriber;
        var zone = TimeZoneOf(subscriber);
        var papers = content.Papers.Select((ranked, i) => Paper(ranked.Paper, ranked.Score, ranked.Matched, i + 1, options, zone)).ToList();
        var date = content.DigestDate;
        return new Dictionary<string, object?>
        {
            ["siteName"] = options.SiteName,
            ["subscriber"] = new Dictionary<string, object?>
            {
                ["email"] = subscriber.Email,
                ["name"] = subscriber.Name,
                ["greetingName"] = string.IsNullOrWhiteSpace(subscriber.Name) ? "there" : subscriber.Name,
                ["topics"] = subscriber.Topics,
                ["keywords"] = subscriber.Keywords,
                ["timeZone"] = subscriber.TimeZone,
                ["deliveryHour"] = subscriber.DeliveryHour,
                ["frequency"] = subscriber.Frequency.ToString().ToLowerInvariant(),
            },
            ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["digestDate"] = new TemplateDate(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)))),
            ["dateLong"] = date.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture),
            ["papers"] = papers,
            ["paperCount"] = papers.Count,
            ["unsubscribeUrl"] = content.UnsubscribeUrl,
            ["manageUrl"] = content.ManageUrl,
            ["profileSummary"] = string.Join(", ", subscriber.Topics.Concat(subscriber.Keywords)),
        };
    }

    private static Dictionary<string, object?> Paper(Paper paper, double score, IReadOnlyList<string> matched, int position, TemplateOptions options, TimeZoneInfo zone)
    {
        var authors = paper.Authors.Count <= options.MaxAuthors
            ? string.Join(", ", paper.Authors)
            : string.Join(", ", paper.Authors.Take(options.MaxAuthors)) + " et al.";
        return new Dictionary<string, object?>
        {
            ["position"] = position,
            ["id"] = paper.Id,
            ["title"] = paper.Title,
            ["url"] = paper.HuggingFaceUrl ?? paper.ArxivUrl,
            ["arxivUrl"] = paper.ArxivUrl,
            ["pdfUrl"] = paper.PdfUrl,
            ["huggingFaceUrl"] = paper.HuggingFaceUrl,
            ["authors"] = authors,
            ["authorCount"] = paper.Authors.Count,
            ["abstract"] = paper.Abstract,
            ["excerpt"] = Excerpt(paper.Abstract, position <= options.FullAbstractPapers ? options.AbstractLength : options.ShortAbstractLength),
            ["aiSummary"] = paper.AiSummary,
            ["matched"] = matched,
            ["score"] = score.ToString("0.00", CultureInfo.InvariantCulture),
            ["upvotes"] = paper.Upvotes,
            ["comments"] = paper.Comments,
            ["githubRepo"] = WebUrl(paper.GithubRepo),
            ["projectPage"] = WebUrl(paper.ProjectPage),
            ["published"] = Local(paper.PublishedAt, zone)?.ToString(),
            ["publishedAt"] = Local(paper.PublishedAt, zone),
            ["firstSeenAt"] = Local(paper.FirstSeenAt, zone),
        };
    }

    /// <summary>Links from sources are shown only when they are plain web addresses (never javascript: or data:).</summary>
    private static string? WebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? url : null;

    private static TemplateDate? Local(DateTimeOffset? moment, TimeZoneInfo zone) =>
        moment is { } value ? new TemplateDate(TimeZoneInfo.ConvertTime(value, zone)) : null;

    /// <summary>The subscriber's zone; an id this machine does not know falls back to UTC rather than failing the digest.</summary>
    private static TimeZoneInfo TimeZoneOf(Subscriber subscriber) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(subscriber.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Cuts at the last word boundary before <paramref name="length"/> and marks the cut with an ellipsis.</summary>
    public static string Excerpt(string text, int length)
    {
        // Abstracts arrive with the line breaks of their source; an excerpt is one flowing paragraph.
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= length) return text;
        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > length / 2 ? cut : length)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }
}
