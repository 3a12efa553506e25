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
                ? Done(http, pages, links, subscriber)
                : pages.Page(http, "unsubscribe", "Unsubscribe", new Dictionary<string, object?> { ["email"] = subscriber.Email, ["token"] = token });
        });
        site.MapPost("/unsubscribe", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store,
            SubscriptionService subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return SubscribeEndpoints.InvalidLink(http, pages);
            var form = await SiteForms.ReadAsync(http, ct);
            var how = form["List-Unsubscribe"].ToString() == "One-Click" ? "one-click unsubscribe (RFC 8058) from the mail client" : "unsubscribe button on the web page";
            await subscriptions.UnsubscribeAsync(subscriber, how, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            return Done(http, pages, links, subscriber);
        });
        site.MapPost("/unsubscribe/undo", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore store,
            SubscriptionService subscriptions, CancellationToken ct) =>
        {
            if (links.Verify(token, SubscriberLinks.ResubscribePurpose) is not { } id || await store.GetByIdAsync(id, ct) is not { } subscriber)
                return SubscribeEndpoints.InvalidLink(http, pages);
            if (!await subscriptions.ResubscribeAsync(subscriber, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct))
                return pages.Message(http, "Not subscribed again", StatusCodes.Status409Conflict, ("/", "Subscribe again"),
                    $"{subscriber.Email} cannot be subscribed again with this link; subscribe on the home page instead.");
            return pages.Message(http, "You are subscribed again", StatusCodes.Status200OK, ("/manage?token=" + links.CreateToken(SubscriberLinks.ManagePurpose, subscriber.Id), "Manage your subscription"),
                $"{subscriber.Email} gets digests again, with the same topics, keywords and hour as before.");
        });
        return site;
    }

    private static async Task<Subscriber?> FindAsync(string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        links.Verify(token, SubscriberLinks.UnsubscribePurpose) is { } id ? await store.GetByIdAsync(id, ct) : null;

    /// <summary>How long the undo button of the "you are unsubscribed" page works.</summary>
    private static readonly TimeSpan UndoValidFor = TimeSpan.FromDays(7);

    private static ContentHttpResult Done(HttpContext http, SitePages pages, SubscriberLinks links, Subscriber subscriber) =>
        pages.MessageWithAction(http, "You are unsubscribed", StatusCodes.Status200OK, (links.ResubscribePath(subscriber.Id, UndoValidFor), "Undo: subscribe me again"),
            $"{subscriber.Email} receives no more digests.", "Did you click by mistake? Undo it, and your digests continue as before.");
}
