using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Digest.Archive;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// A digest's web copy (<c>/digest?token=…</c>, the "View in browser" link) and the subscriber's Atom feed
/// (<c>/feed?token=…</c>), both behind signed links. A token that is not ours, was changed or names nothing gets the
/// 404 page (there is nothing at that address); an unsubscribed person's digests and feed are gone, and a page says so.
/// </summary>
public static class DigestArchiveEndpoints
{
    public static RouteGroupBuilder MapDigestArchive(this RouteGroupBuilder site)
    {
        site.MapGet("/digest", async Task<IResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, DigestWebCopy webCopy, CancellationToken ct) =>
        {
            if (links.Verify(token, SubscriberLinks.DigestPurpose) is not { } deliveryId) return NotFound(http, pages);
            var copy = await webCopy.RenderAsync(deliveryId, ct);
            return copy.Outcome switch
            {
                WebCopyOutcome.Shown => Html(http, copy.Html!),
                WebCopyOutcome.Unsubscribed => Unsubscribed(http, pages, copy.Subscriber!),
                _ => NotFound(http, pages),
            };
        });

        site.MapGet("/feed", async Task<IResult> (HttpContext http, string? token, SitePages pages, SubscriberLinks links, ISubscriberStore subscribers,
            SubscriberFeed feed, CancellationToken ct) =>
        {
            if (links.Verify(token, SubscriberLinks.FeedPurpose) is not { } id || await subscribers.GetByIdAsync(id, ct) is not { } subscriber)
                return NotFound(http, pages);
            if (subscriber.Status == SubscriberStatus.Unsubscribed) return Unsubscribed(http, pages, subscriber);
            http.Response.Headers.CacheControl = "private, no-cache";
            return TypedResults.Bytes((await feed.BuildAsync(subscriber, ct)).ToXml(), AtomFeed.ContentType);
        });
        return site;
    }

    /// <summary>The digest's own HTML, as its email carries it; private, since its links act for the subscriber.</summary>
    private static ContentHttpResult Html(HttpContext http, string html)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static ContentHttpResult NotFound(HttpContext http, SitePages pages) =>
        pages.Message(http, "There is nothing at this address", StatusCodes.Status404NotFound,
            "The link is incomplete, was changed, or names a digest that does not exist. Use the link from your email, unchanged.");

    private static ContentHttpResult Unsubscribed(HttpContext http, SitePages pages, Subscriber subscriber) =>
        pages.Message(http, "This subscription has ended", StatusCodes.Status410Gone, ("/", "Subscribe again"),
            $"{subscriber.Email} unsubscribed, so its digests, their web copies and its feed are no longer shown.");
}
