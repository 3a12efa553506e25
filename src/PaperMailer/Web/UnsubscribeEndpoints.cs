using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// The unsubscribe link every digest carries. GET shows one button; POST unsubscribes. Mail clients POST
/// "List-Unsubscribe=One-Click" to the same URL (RFC 8058), which takes effect at once without a page, so this POST
/// needs no antiforgery token: the signed link is the only authority. A forged or altered token changes nothing.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static RouteGroupBuilder MapUnsubscribe(this RouteGroupBuilder site)
    {
        site.MapGet("/unsubscribe", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return SubscribeEndpoints.InvalidLink(http, pages);
            return subscriber.Status == SubscriberStatus.Unsubscribed
                ? Done(http, pages, subscriber)
                : pages.Page(http, "unsubscribe", "Unsubscribe", new Dictionary<string, object?> { ["email"] = subscriber.Email, ["token"] = token });
        });
        site.MapPost("/unsubscribe", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store,
            SubscriptionService subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return SubscribeEndpoints.InvalidLink(http, pages);
            var form = await SiteForms.ReadAsync(http, ct);
            var how = form["List-Unsubscribe"].ToString() == "One-Click" ? "one-click unsubscribe (RFC 8058) from the mail client" : "unsubscribe button on the web page";
            await subscriptions.UnsubscribeAsync(subscriber, how, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            return Done(http, pages, subscriber);
        });
        return site;
    }

    private static async Task<Subscriber?> FindAsync(string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        links.Verify(token, SubscriberLinks.UnsubscribePurpose) is { } id ? await store.GetByIdAsync(id, ct) : null;

    private static ContentHttpResult Done(HttpContext http, SitePages pages, Subscriber subscriber) =>
        pages.Message(http, "You are unsubscribed", StatusCodes.Status200OK, $"{subscriber.Email} receives no more digests.");
}
