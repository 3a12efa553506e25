using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>
/// Renders the subscription site's pages from templates/web/ (operators restyle them there). Every value reaches the
/// page through the templates' HTML escaping; nothing from a request is written out raw. Model keys are snake_case,
/// as templates/README.md lists them.
/// </summary>
public sealed class SitePages(TemplateLibrary templates, ITopicCatalog topics, IAntiforgery antiforgery, IOptions<TemplateOptions> options)
{
    /// <summary>
    /// The zones most subscribers live in, offered first in the time-zone picker (a list of some 400 is found by
    /// typing; these spare most people the typing).
    /// </summary>
    private static readonly string[] CommonZones =
    [
        "UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Toronto", "America/Sao_Paulo",
        "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm",
        "Europe/Moscow", "Asia/Jerusalem", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Seoul",
        "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
    ];

    private static readonly IReadOnlyList<string> TimeZoneIds = OrderZones(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id));

    /// <summary>The common zones this machine knows first, then every other IANA zone alphabetically.</summary>
    /// <summary>A typed zone in its proper spelling ("europe/berlin" is Europe/Berlin); one that is no zone stays as typed, for validation to refuse.</summary>
    internal static string CanonicalZone(string typed) => TimeZoneIds.FirstOrDefault(z => string.Equals(z, typed, StringComparison.OrdinalIgnoreCase)) ?? typed;

    internal static IReadOnlyList<string> OrderZones(IEnumerable<string> known)
    {
        var all = known.Where(id => id.Contains('/') || id == "UTC").ToHashSet(StringComparer.Ordinal);
        var common = CommonZones.Where(all.Contains).ToList();
        return [.. common, .. all.Except(common).Order(StringComparer.Ordinal)];
    }

    public ContentHttpResult Page(HttpContext http, string template, string title, Dictionary<string, object?> model, int status = StatusCodes.Status200OK)
    {
        model["site_name"] = options.Value.SiteName;
        model["title"] = title;
        var tokens = antiforgery.GetAndStoreTokens(http);
        model["antiforgery"] = new Dictionary<string, object?> { ["field"] = tokens.FormFieldName, ["token"] = tokens.RequestToken };
        var html = templates.Render(model, $"the page {http.Request.Path}", $"web/{template}.sbn")[0];
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    public ContentHttpResult Message(HttpContext http, string title, int status, params string[] paragraphs) =>
        Page(http, "message", title, new Dictionary<string, object?> { ["paragraphs"] = paragraphs, ["link"] = null, ["action"] = null }, status);

    public ContentHttpResult Message(HttpContext http, string title, int status, (string Url, string Text) link, params string[] paragraphs) =>
        Page(http, "message", title, new Dictionary<string, object?> { ["paragraphs"] = paragraphs, ["link"] = Link(link), ["action"] = null }, status);

    /// <summary>A message with one button that posts to <paramref name="action"/> (a signed link: no antiforgery field needed).</summary>
    public ContentHttpResult MessageWithAction(HttpContext http, string title, int status, (string Url, string Text) action, params string[] paragraphs) =>
        Page(http, "message", title, new Dictionary<string, object?> { ["paragraphs"] = paragraphs, ["link"] = null, ["action"] = Link(action) }, status);

    private static Dictionary<string, object?> Link((string Url, string Text) link) => new() { ["url"] = link.Url, ["text"] = link.Text };

    /// <summary>The fields a profile problem can be shown beside: always present (null when the field is fine), for strict templates.</summary>
    private static readonly string[] ProfileFields = ["topics", "keywords", "exclude"];

    /// <summary>
    /// The problems of the profile's fields, by field, each without its "field: " prefix ("keywords" →
    /// "\"topic:astro\" is not a known topic (known: …)"), so a page can say them beside the field they are about.
    /// </summary>
    public static Dictionary<string, object?> FieldErrors(IEnumerable<string> problems)
    {
        var byField = ProfileFields.ToDictionary(field => field, _ => (object?)null);
        foreach (var field in ProfileFields)
        {
            var prefix = field + ": ";
            var reasons = problems.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..]).ToList();
            if (reasons.Count > 0) byField[field] = string.Join("; ", reasons);
        }
        return byField;
    }

    /// <summary>The topic, keyword, hour and time zone fields shared by the home and preferences pages.</summary>
    public void AddProfileFields(Dictionary<string, object?> model, ProfileForm form, IReadOnlyDictionary<string, IReadOnlyList<string>>? examples = null)
    {
        // Templates render strictly: a form without problems still has its (empty) list of them.
        model.TryAdd("errors", Array.Empty<string>());
        model["field_errors"] = FieldErrors(model["errors"] as IEnumerable<string> ?? []);
        model["form"] = new Dictionary<string, object?>
        {
            ["email"] = form.Email,
            ["keywords"] = string.Join(", ", form.Profile.Keywords),
            ["exclude"] = string.Join(", ", form.Profile.Exclusions),
            ["timezone_chosen"] = form.TimeZoneChosen,
            ["trending"] = form.Profile.Trending,
            ["timezone"] = form.TimeZone,
        };
        model["topics"] = topics.All.Select(t => new Dictionary<string, object?>
        {
            ["id"] = t.Id,
            ["name"] = t.Name,
            ["description"] = t.Description,
            ["selected"] = form.Profile.Topics.Contains(t.Id, StringComparer.OrdinalIgnoreCase),
            ["examples"] = examples?.GetValueOrDefault(t.Id) ?? [],
        }).ToList();
        model["hours"] = Enumerable.Range(0, 24).Select(h => new Dictionary<string, object?>
        {
            ["value"] = h, ["label"] = $"{h:00}:00", ["selected"] = h == form.Hour,
        }).ToList();
        model["time_zones"] = TimeZoneIds.Select(z => new Dictionary<string, object?> { ["id"] = z, ["selected"] = z == form.TimeZone }).ToList();
    }
}

/// <summary>The profile as a form shows it (and as it came back from the browser).</summary>
public sealed record ProfileForm(string Email, SubscriberProfile Profile, int Hour, string TimeZone, bool TimeZoneChosen, string Frequency = "daily",
    DayOfWeek? Weekday = null)
{
    public static ProfileForm Empty => new("", SubscriberProfile.Empty, 8, "UTC", false);

    public static ProfileForm From(Subscriber s) => new(s.Email, s.Profile, s.DeliveryHour, s.TimeZone, true,
        s.Status == SubscriberStatus.Paused ? "paused" : s.Frequency.Name(), s.Weekday);

    /// <summary>Reads the posted fields; out-of-range or missing values become problems, never exceptions.</summary>
    public static (ProfileForm Form, List<string> Problems) Read(IFormCollection form)
    {
        var problems = new List<string>();
        var hourText = form["hour"].ToString();
        var hour = 8;
        if (hourText.Length > 0 && !int.TryParse(hourText, NumberStyles.None, CultureInfo.InvariantCulture, out hour))
        {
            problems.Add("hour: choose an hour from the list");
            hour = 8;
        }
        if (form["keywords"].ToString().Length > 2000 || form["exclude"].ToString().Length > 2000)
        {
            problems.Add("keywords: keep keywords and exclusions under 2000 characters each");
        }
        var zone = form["timezone"].ToString();
        DayOfWeek? weekday = null;
        if (form["weekday"].ToString() is { Length: > 0 } day)
        {
            if (Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(day[0])) weekday = parsed;
            else problems.Add("weekday: choose a day of the week from the list");
        }
        var profile = new SubscriberProfile
        {
            Topics = form["topics"].Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Keywords = Rank.RankingProfile.SplitList(form["keywords"].ToString()),
            Exclusions = Rank.RankingProfile.SplitList(form["exclude"].ToString()),
            // A checkbox sends its value only when ticked.
            Trending = form["trending"].ToString().Length > 0,
        };
        return (new ProfileForm(
            form["email"].ToString().Trim(),
            profile,
            hour,
            string.IsNullOrWhiteSpace(zone) ? "UTC" : SitePages.CanonicalZone(zone.Trim()),
            true,
            form["frequency"].ToString() is { Length: > 0 } f ? f : "daily",
            weekday), problems);
    }
}
