using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>The preferences page behind the signed "manage" link in every digest: no login, the link is the key.</summary>
public static class ManageEndpoints
{
    public static RouteGroupBuilder MapManage(this RouteGroupBuilder site)
    {
        site.MapGet("/manage", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
            await FindAsync(token, links, store, ct) is { } subscriber
                ? Page(http, pages, links, token!, subscriber, ProfileForm.From(subscriber), [], saved: false)
                : SubscribeEndpoints.InvalidLink(http, pages));

        site.MapPost("/manage", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, IAntiforgery antiforgery, SubscriberLinks links,
            ISubscriberStore store, SubscriptionService subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return SubscribeEndpoints.InvalidLink(http, pages);
            if (await SiteForms.ReadGenuineAsync(http, antiforgery, ct) is not { } posted)
                return SubscribeEndpoints.ExpiredForm(http, pages, ("/manage?token=" + token, "Back to your settings"));
            var (form, problems) = ProfileForm.Read(posted);
            if (form.Frequency is not ("daily" or "weekly" or "paused")) problems.Add("frequency: choose daily, weekly or paused");
            if (problems.Count == 0)
            {
                var preferences = new Preferences(null, form.Topics, form.Keywords, form.Exclude, form.TimeZone, form.Hour,
                    form.Frequency == "weekly" ? DigestFrequency.Weekly : DigestFrequency.Daily, form.Frequency == "paused", form.Trending, form.Weekday);
                problems.AddRange(await subscriptions.UpdatePreferencesAsync(subscriber, preferences,
                    http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct));
            }
            if (problems.Count > 0)
                return Page(http, pages, links, token!, subscriber, form with { Email = subscriber.Email }, problems, saved: false, StatusCodes.Status400BadRequest);
            var updated = (await store.GetByIdAsync(subscriber.Id, ct))!;
            return Page(http, pages, links, token!, updated, ProfileForm.From(updated), [], saved: true);
        });
        return site;
    }

    private static readonly DayOfWeek[] WeekFromMonday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static async Task<Subscriber?> FindAsync(string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        links.Verify(token, SubscriberLinks.ManagePurpose) is { } id ? await store.GetByIdAsync(id, ct) : null;

    private static ContentHttpResult Page(HttpContext http, SitePages pages, SubscriberLinks links, string token, Subscriber subscriber, ProfileForm form,
        IReadOnlyList<string> errors, bool saved, int status = StatusCodes.Status200OK)
    {
        var model = new Dictionary<string, object?>
        {
            ["email"] = subscriber.Email,
            ["token"] = token,
            ["saved"] = saved,
            ["errors"] = errors,
            ["unsubscribe_url"] = links.UnsubscribeUrl(subscriber.Id),
            ["status_text"] = subscriber.Status switch
            {
                SubscriberStatus.Active => $"receiving a {subscriber.Frequency.ToString().ToLowerInvariant()} digest",
                SubscriberStatus.Paused => "paused: no digests until you choose daily or weekly again",
                SubscriberStatus.Pending => "waiting for you to confirm the link we emailed",
                SubscriberStatus.Unsubscribed => "unsubscribed: choose daily or weekly and save to start again",
                _ => "not receiving digests: the address could not be reached",
            },
            // A weekly digest's day: "any" keeps a week after the previous one, whatever the day.
            ["weekdays"] = new[] { (Value: "", Label: "Any day (a week after the last)") }
                .Concat(WeekFromMonday.Select(d => (Value: d.ToString().ToLowerInvariant(), Label: d.ToString())))
                .Select(d => new Dictionary<string, object?> { ["value"] = d.Value, ["label"] = d.Label, ["selected"] = d.Value == (form.Weekday?.ToString().ToLowerInvariant() ?? "") }).ToList(),
            ["frequencies"] = new[] { ("daily", "Daily"), ("weekly", "Weekly"), ("paused", "Paused") }
                .Select(f => new Dictionary<string, object?> { ["value"] = f.Item1, ["label"] = f.Item2, ["selected"] = f.Item1 == form.Frequency }).ToList(),
        };
        pages.AddProfileFields(model, form);
        return pages.Page(http, "manage", "Your digest", model, status);
    }
}
