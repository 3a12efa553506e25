using System.Globalization;
using System.Runtime.CompilerServices;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;

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
        var papers = content.Papers.Select((ranked, i) => Paper(ranked, i + 1, trending: false, options, zone, content.RatingUrl)).ToList();
        // The "Trending today" section goes on counting where the personal one stopped.
        var trending = content.Trending.Select((ranked, i) => Paper(ranked, papers.Count + i + 1, trending: true, options, zone, content.RatingUrl)).ToList();
        return new Dictionary<string, object?>
        {
            ["site_name"] = options.SiteName,
            ["subscriber"] = new Dictionary<string, object?>
            {
                ["email"] = subscriber.Email,
                ["name"] = subscriber.Name,
                ["greeting_name"] = string.IsNullOrWhiteSpace(subscriber.Name) ? "there" : subscriber.Name,
                ["topics"] = subscriber.Profile.Topics,
                ["keywords"] = subscriber.Profile.Keywords,
                ["time_zone"] = subscriber.TimeZone,
                ["delivery_hour"] = subscriber.DeliveryHour,
                ["frequency"] = subscriber.Frequency.Name(),
                ["trending"] = subscriber.Profile.Trending,
            },
            ["digest_date"] = content.DigestDate.ToDateTime(TimeOnly.MinValue),
            ["papers"] = papers,
            ["trending"] = trending,
            ["paper_count"] = papers.Count + trending.Count,
            ["unsubscribe_url"] = content.UnsubscribeUrl,
            ["manage_url"] = content.ManageUrl,
            // The web copy, the feed and the first digest (issue 15): kept together so they stay easy to find.
            ["web_url"] = content.WebUrl,
            ["feed_url"] = content.FeedUrl,
            ["first_digest"] = content.FirstDigest,
            ["profile_summary"] = string.Join(", ", subscriber.Profile.Topics.Concat(subscriber.Profile.Keywords)),
        };
    }

    /// <summary>
    /// A paper in one digest: the fields this digest gives it, over the fields every digest of the run shows alike
    /// (<see cref="SharedFields"/>), which are built and cleaned once per paper and time zone and remembered: building
    /// every field of every paper again for each of a run's digests was a good part of rendering it.
    /// </summary>
    private static PaperFields Paper(RankedPaper ranked, int position, bool trending, TemplateOptions options, TimeZoneInfo zone, Func<string, Vote, string>? ratingUrl) => new(
        DigestFields(ranked, position, trending, options, ratingUrl),
        Shared.Get(new SharedKey(ranked.Paper, options, zone), key => new SharedPaperFields(SharedFields(key.Paper, key.Options, key.Zone))));

    /// <summary>The fields of a paper that differ from digest to digest: where it stands, why it is there.</summary>
    private static Dictionary<string, object?> DigestFields(RankedPaper ranked, int position, bool trending, TemplateOptions options, Func<string, Vote, string>? ratingUrl) => new()
    {
        ["position"] = position,
        ["excerpt"] = Excerpt(ranked.Paper.Abstract, position <= options.FullAbstractPapers ? options.AbstractLength : options.ShortAbstractLength),
        ["matched"] = ranked.Matched,
        ["partly"] = ranked.Partly,
        ["similar_to"] = ranked.SimilarTo,
        ["why"] = PaperExplanation.Describe(ranked),
        ["trending"] = trending,
        ["score"] = ranked.Score.ToString("0.00", CultureInfo.InvariantCulture),
        // Signed per subscriber: they differ from digest to digest.
        ["more_like_this_url"] = ratingUrl?.Invoke(ranked.Paper.Id, Vote.More),
        ["less_like_this_url"] = ratingUrl?.Invoke(ranked.Paper.Id, Vote.Less),
    };

    /// <summary>
    /// The fields of a paper that every digest shows alike (given the subscriber's time zone, in which its dates are
    /// shown). A field that depends on the digest or the subscriber belongs in <see cref="DigestFields"/>.
    /// </summary>
    private static Dictionary<string, object?> SharedFields(Paper paper, TemplateOptions options, TimeZoneInfo zone) => new()
    {
        ["id"] = paper.Id,
        ["title"] = paper.Title,
        ["url"] = paper.HuggingFaceUrl ?? paper.ArxivUrl,
        ["arxiv_url"] = paper.ArxivUrl,
        ["pdf_url"] = paper.PdfUrl,
        ["hugging_face_url"] = paper.HuggingFaceUrl,
        ["authors"] = paper.Authors.Count <= options.MaxAuthors
            ? string.Join(", ", paper.Authors)
            : string.Join(", ", paper.Authors.Take(options.MaxAuthors)) + " et al.",
        ["author_count"] = paper.Authors.Count,
        ["abstract"] = paper.Abstract,
        ["ai_summary"] = paper.AiSummary,
        ["upvotes"] = paper.Upvotes,
        ["comments"] = paper.Comments,
        ["github_repo"] = WebUrl(paper.GithubRepo),
        ["project_page"] = WebUrl(paper.ProjectPage),
        ["published_at"] = Local(paper.PublishedAt, zone),
        ["first_seen_at"] = Local(paper.FirstSeenAt, zone),
        ["short_title"] = ShortTitle(paper.Title),
        ["primary_category"] = paper.PrimaryCategory ?? paper.Categories.FirstOrDefault(),
    };

    /// <summary>Shared fields, remembered as the same paper object (a digest run hands every digest the same ones) under the same options and zone.</summary>
    private static readonly RememberedResults<SharedKey, SharedPaperFields> Shared = new(20_000);

    private readonly record struct SharedKey(Paper Paper, TemplateOptions Options, TimeZoneInfo Zone)
    {
        public bool Equals(SharedKey other) => ReferenceEquals(Paper, other.Paper) && ReferenceEquals(Options, other.Options) && Zone.Id == other.Zone.Id;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Paper), RuntimeHelpers.GetHashCode(Options), Zone.Id);
    }

    /// <summary>
    /// What a subject line can call the paper: the name before the colon that many titles start with ("TreeSeeker: …"
    /// → "TreeSeeker"), else the title cut at a word.
    /// </summary>
    public static string ShortTitle(string title)
    {
        var colon = title.IndexOf(": ", StringComparison.Ordinal);
        if (colon is >= 3 and <= ShortTitleLength) return title[..colon].Trim();
        return Cut(title, ShortTitleLength);
    }

    private const int ShortTitleLength = 60;

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
