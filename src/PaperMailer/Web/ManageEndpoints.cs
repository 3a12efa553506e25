using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>The preferences page behind the signed "manage" link in every digest: no login, the link is the key.</summary>
public static class ManageEndpoints
{
    public static RouteGroupBuilder MapManage(this RouteGroupBuilder site)
    {
        site.MapGet("/manage", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store,
            IDigestArchive archive, SubscriberRatings ratings, DigestComposer composer, ITopicCatalog topics, TimeProvider clock, CancellationToken ct) =>
            await FindAsync(token, links, store, ct) is { } subscriber
                ? Page(http, pages, links, token!, subscriber, ProfileForm.From(subscriber), [], saved: false, await ArchiveAsync(archive, links, subscriber, ct),
                    await ManageRatings.LearnedAsync(subscriber, ratings, composer, topics, clock, ct))
                : SubscribeEndpoints.InvalidLink(http, pages));

        site.MapPost("/manage", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, IAntiforgery antiforgery, SubscriberLinks links,
            ISubscriberStore store, SubscriptionService subscriptions, IDigestArchive archive, SubscriberRatings ratings, DigestComposer composer, ITopicCatalog topics, TimeProvider clock,
            CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return SubscribeEndpoints.InvalidLink(http, pages);
            if (await SiteForms.ReadGenuineAsync(http, antiforgery, ct) is not { } posted)
                return SubscribeEndpoints.ExpiredForm(http, pages, ("/manage?token=" + token, "Back to your settings"));
            var (form, problems) = ProfileForm.Read(posted);
            if (form.Frequency != "paused" && DigestFrequencies.Parse(form.Frequency) is null) problems.Add("frequency: choose daily, weekly, feed only or paused");
            if (problems.Count == 0)
            {
                var preferences = new Preferences(null, form.Profile, form.TimeZone, form.Hour,
                    DigestFrequencies.Parse(form.Frequency) ?? subscriber.Frequency, form.Frequency == "paused", form.Weekday);
                problems.AddRange(await subscriptions.UpdatePreferencesAsync(subscriber, preferences,
                    http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct));
            }
            var past = await ArchiveAsync(archive, links, subscriber, ct);
            var learned = await ManageRatings.LearnedAsync(subscriber, ratings, composer, topics, clock, ct);
            if (problems.Count > 0)
                return Page(http, pages, links, token!, subscriber, form with { Email = subscriber.Email }, problems, saved: false, past, learned, StatusCodes.Status400BadRequest);
            var updated = (await store.GetByIdAsync(subscriber.Id, ct))!;
            return Page(http, pages, links, token!, updated, ProfileForm.From(updated), [], saved: true, past, learned);
        });
        return site;
    }

    private static readonly DayOfWeek[] WeekFromMonday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static async Task<Subscriber?> FindAsync(string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        links.Verify(token, SubscriberLinks.ManagePurpose) is { } id ? await store.GetByIdAsync(id, ct) : null;

    /// <summary>How many past digests the page lists: about two months of daily ones; the feed reaches about as far.</summary>
    public const int ArchiveLength = 60;

    /// <summary>The subscriber's past digests, newest first: date, number of papers and a link to each web copy.</summary>
    private static async Task<List<Dictionary<string, object?>>> ArchiveAsync(IDigestArchive archive, SubscriberLinks links, Subscriber subscriber, CancellationToken ct) =>
        (await archive.ListGivenAsync(subscriber.Id, ArchiveLength, ct)).Select(d => new Dictionary<string, object?>
        {
            ["date"] = d.DigestDate.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
            ["paper_count"] = d.PaperIds.Count,
            ["url"] = links.DigestUrl(d.Id),
            ["feed_only"] = d.Status == DeliveryStatus.FeedOnly,
        }).ToList();

    private static ContentHttpResult Page(HttpContext http, SitePages pages, SubscriberLinks links, string token, Subscriber subscriber, ProfileForm form,
        IReadOnlyList<string> errors, bool saved, List<Dictionary<string, object?>> archive, Dictionary<string, object?> learned, int status = StatusCodes.Status200OK)
    {
        var model = new Dictionary<string, object?>
        {
            ["email"] = subscriber.Email,
            ["token"] = token,
            ["saved"] = saved,
            ["errors"] = errors,
            ["unsubscribe_url"] = links.UnsubscribeUrl(subscriber.Id),
            ["feed_url"] = links.FeedUrl(subscriber.Id),
            ["archive"] = archive,
            ["learned"] = learned,
            ["status_text"] = subscriber.Status switch
            {
                SubscriberStatus.Active when subscriber.Frequency == DigestFrequency.FeedOnly => "feed only: no email; each day's papers go to your Atom feed",
                SubscriberStatus.Active => $"receiving a {subscriber.Frequency.Name()} digest",
                SubscriberStatus.Paused => "paused: no digests until you choose daily or weekly again",
                SubscriberStatus.Pending => "waiting for you to confirm the link we emailed",
                SubscriberStatus.Unsubscribed => "unsubscribed: choose daily or weekly and save to start again",
                _ => "not receiving digests: the address could not be reached",
            },
            // A weekly digest's day: "any" keeps a week after the previous one, whatever the day.
            ["weekdays"] = new[] { (Value: "", Label: "Any day (a week after the last)") }
                .Concat(WeekFromMonday.Select(d => (Value: d.ToString().ToLowerInvariant(), Label: d.ToString())))
                .Select(d => new Dictionary<string, object?> { ["value"] = d.Value, ["label"] = d.Label, ["selected"] = d.Value == (form.Weekday?.ToString().ToLowerInvariant() ?? "") }).ToList(),
            ["frequencies"] = new[] { ("daily", "Daily"), ("weekly", "Weekly"), ("feed-only", "Feed only (no email)"), ("paused", "Paused") }
                .Select(f => new Dictionary<string, object?> { ["value"] = f.Item1, ["label"] = f.Item2, ["selected"] = f.Item1 == form.Frequency }).ToList(),
        };
        pages.AddProfileFields(model, form);
        return pages.Page(http, "manage", "Your digest", model, status);
    }
}
