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
        var papers = content.Papers.Select((ranked, i) => Paper(ranked.Paper, ranked.Score, ranked.Matched, i + 1, options)).ToList();
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
            ["dateLong"] = date.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture),
            ["papers"] = papers,
            ["paperCount"] = papers.Count,
            ["unsubscribeUrl"] = content.UnsubscribeUrl,
            ["manageUrl"] = content.ManageUrl,
            ["profileSummary"] = string.Join(", ", subscriber.Topics.Concat(subscriber.Keywords)),
        };
    }

    private static Dictionary<string, object?> Paper(Paper paper, double score, IReadOnlyList<string> matched, int position, TemplateOptions options)
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
            ["excerpt"] = Excerpt(paper.Abstract, options.AbstractLength),
            ["aiSummary"] = paper.AiSummary,
            ["matched"] = matched,
            ["score"] = score.ToString("0.00", CultureInfo.InvariantCulture),
            ["upvotes"] = paper.Upvotes,
            ["comments"] = paper.Comments,
            ["githubRepo"] = paper.GithubRepo,
            ["projectPage"] = paper.ProjectPage,
            ["published"] = paper.PublishedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Cuts at the last word boundary before <paramref name="length"/> and marks the cut with an ellipsis.</summary>
    public static string Excerpt(string text, int length)
    {
        if (text.Length <= length) return text;
        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > length / 2 ? cut : length)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }
}
