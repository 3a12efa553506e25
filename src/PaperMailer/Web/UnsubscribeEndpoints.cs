using System.Net;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// The unsubscribe link every digest carries. GET shows one button; POST unsubscribes. Mail clients POST
/// "List-Unsubscribe=One-Click" to the same URL (RFC 8058), which takes effect at once without a page.
/// The signed token is the only authority: a forged or altered token changes nothing and gets a 400 page.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/unsubscribe", async (string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return InvalidLink();
            var done = subscriber.Status == SubscriberStatus.Unsubscribed;
            return Page(done ? "You are unsubscribed" : "Unsubscribe",
                done
                    ? $"<p>{Encode(subscriber.Email)} receives no more digests.</p>"
                    : $"<p>Stop sending research digests to <strong>{Encode(subscriber.Email)}</strong>?</p>" +
                      $"<form method=\"post\" action=\"/unsubscribe?token={Encode(token!)}\"><button type=\"submit\" name=\"confirm\" value=\"yes\" style=\"font-size:16px;padding:10px 18px;\">Unsubscribe</button></form>");
        });
        app.MapPost("/unsubscribe", async (string? token, SubscriberLinks links, ISubscriberStore store, TimeProvider clock, CancellationToken ct) =>
        {
            if (await FindAsync(token, links, store, ct) is not { } subscriber) return InvalidLink();
            if (subscriber.Status != SubscriberStatus.Unsubscribed)
            {
                await store.SetStatusAsync(subscriber.Id, SubscriberStatus.Unsubscribed, clock.GetUtcNow(), ct);
            }
            return Page("You are unsubscribed", $"<p>{Encode(subscriber.Email)} receives no more digests.</p>");
        }).DisableAntiforgery();
        return app;
    }

    private static async Task<Subscriber?> FindAsync(string? token, SubscriberLinks links, ISubscriberStore store, CancellationToken ct) =>
        links.Verify(token, SubscriberLinks.UnsubscribePurpose) is { } id ? await store.GetByIdAsync(id, ct) : null;

    private static IResult InvalidLink() =>
        Page("This link is not valid", "<p>The link is incomplete or was changed. Use the unsubscribe link from one of your digest emails, unchanged.</p>", StatusCodes.Status400BadRequest);

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{Encode(title)}</title></head>" +
            $"<body style=\"font-family:Helvetica,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#1f2933;\"><h1 style=\"font-size:22px;\">{Encode(title)}</h1>{body}</body></html>",
            "text/html; charset=utf-8", statusCode: status);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
