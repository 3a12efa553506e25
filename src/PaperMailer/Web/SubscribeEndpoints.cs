using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>
/// The public site: the home page with its subscribe form, and the confirmation link (double opt-in). The link in
/// the email only shows a page with one button; the button's POST confirms, so a mail scanner opening the link
/// confirms nothing. Like unsubscribing, confirming needs no antiforgery field: the signed link is the authority.
/// </summary>
public static class SubscribeEndpoints
{
    /// <summary>
    /// Subscribe requests that send an email, per client (<see cref="ClientLimit.ClientOf"/>) and hour
    /// (<see cref="SubscriptionOptions.MaxRequestsPerIpPerHour"/>). A request refused by validation, or one past the
    /// per-address limit (the main defence: <see cref="SubscriptionOptions.MaxEmailsPerAddressPerDay"/>), sends
    /// nothing and does not count, so a lab behind one address is not locked out by its typos.
    /// </summary>
    public const string EmailsPerClientLimit = "subscribe-emails-per-client";

    public static RouteGroupBuilder MapSubscribe(this RouteGroupBuilder site)
    {
        site.MapGet("/", async Task<ContentHttpResult> (HttpContext http, SitePages pages, TopicExamples examples, CancellationToken ct) =>
        {
            var model = new Dictionary<string, object?>();
            pages.AddProfileFields(model, ProfileForm.Empty, await examples.GetAsync(ct));
            return pages.Page(http, "home", "Research papers by email", model);
        });

        site.MapPost("/subscribe", async Task<ContentHttpResult> (HttpContext http, SitePages pages, IAntiforgery antiforgery, SubscriptionService subscriptions,
            TopicExamples examples, [FromKeyedServices(EmailsPerClientLimit)] ClientLimit emailsPerClient, SubscribeMetrics metrics, CancellationToken ct) =>
        {
            if (await SiteForms.ReadGenuineAsync(http, antiforgery, ct) is not { } posted) return ExpiredForm(http, pages, ("/", "Back to the form"));
            var (form, problems) = ProfileForm.Read(posted);
            if (problems.Count == 0)
            {
                var client = ClientLimit.ClientOf(http.Connection.RemoteIpAddress);
                if (!emailsPerClient.TryTake(client))
                {
                    metrics.Requested("limited");
                    metrics.LimitedPerNetworkAddress();
                    http.Response.Headers.RetryAfter = "3600";
                    var (title, paragraphs) = ErrorPages.Describe(StatusCodes.Status429TooManyRequests);
                    return pages.Message(http, title, StatusCodes.Status429TooManyRequests, paragraphs);
                }
                var outcome = await subscriptions.RequestAsync(new SubscribeRequest
                {
                    Email = form.Email,
                    Profile = form.Profile,
                    TimeZone = form.TimeZone,
                    DeliveryHour = form.Hour,
                    Frequency = form.Frequency == "weekly" ? DigestFrequency.Weekly : DigestFrequency.Daily,
                    Ip = http.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = http.Request.Headers.UserAgent.ToString(),
                }, ct);
                if (!outcome.Emailed) emailsPerClient.GiveBack(client);
                if (outcome.Ok)
                {
                    // The same answer whether the address was new, pending or already subscribed.
                    return pages.Message(http, "Check your inbox", StatusCodes.Status200OK,
                        $"We sent a message to {form.Email}. Follow the link in it to start your digest.",
                        "Nothing arrives? Look in the spam folder, or subscribe again in a few minutes.");
                }
                problems.AddRange(outcome.Problems);
            }
            var model = new Dictionary<string, object?> { ["errors"] = problems };
            pages.AddProfileFields(model, form, await examples.GetAsync(ct));
            return pages.Page(http, "home", "Research papers by email", model, StatusCodes.Status400BadRequest);
        });

        site.MapGet("/confirm", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriptionService subscriptions, CancellationToken ct) =>
        {
            var (outcome, subscriber) = await subscriptions.CheckConfirmationAsync(token, ct);
            return outcome == ConfirmOutcome.Ready
                ? pages.Page(http, "confirm", "Confirm your subscription", new Dictionary<string, object?> { ["email"] = subscriber!.Email, ["token"] = token })
                : ConfirmPage(http, pages, outcome);
        });

        site.MapPost("/confirm", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, SubscriptionService subscriptions, SubscriberLinks links,
            ITopicCatalog topics, CancellationToken ct) =>
        {
            var (outcome, subscriber) = await subscriptions.ConfirmAsync(token, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            return outcome == ConfirmOutcome.Confirmed ? Subscribed(http, pages, links, topics, subscriber!) : ConfirmPage(http, pages, outcome);
        });
        return site;
    }

    /// <summary>
    /// "You are subscribed": what they asked for, when the first digest comes in their own zone (the time the digest
    /// run keeps: <see cref="DigestCalendar.FirstDigestAt"/>), and the link to change it.
    /// </summary>
    private static ContentHttpResult Subscribed(HttpContext http, SitePages pages, SubscriberLinks links, ITopicCatalog topics, Subscriber subscriber)
    {
        var first = DigestCalendar.LocalNow(subscriber, DigestCalendar.FirstDigestAt(subscriber, subscriber.StatusChangedAt!.Value));
        var today = DigestCalendar.LocalToday(subscriber, subscriber.StatusChangedAt.Value);
        var day = DateOnly.FromDateTime(first.DateTime) == today ? "today" : first.ToString("dddd d MMMM", CultureInfo.InvariantCulture);
        var every = subscriber.Frequency != DigestFrequency.Weekly ? "every day" : subscriber.Weekday is { } weekday ? $"every {weekday}" : "once a week";
        return pages.Message(http, "You are subscribed", StatusCodes.Status200OK, ("/manage?token=" + links.CreateToken(SubscriberLinks.ManagePurpose, subscriber.Id), "Manage your subscription"),
            $"You asked for: {ProfileText.Describe(subscriber.Profile, topics.All)}.",
            $"Your first digest comes {day} at {first:HH:mm} ({subscriber.TimeZone}), if there are new papers for you, then {every} at that hour.",
            "Every digest has a link to change these settings or to unsubscribe; this is the same link:");
    }

    private static ContentHttpResult ConfirmPage(HttpContext http, SitePages pages, ConfirmOutcome outcome) => outcome switch
    {
        ConfirmOutcome.AlreadyConfirmed => pages.Message(http, "Already confirmed", StatusCodes.Status200OK,
            "This subscription was confirmed before; nothing changed."),
        ConfirmOutcome.Expired => pages.Message(http, "This link has expired", StatusCodes.Status410Gone, ("/", "Subscribe again"),
            "Confirmation links work for a limited time. Subscribe again to get a new one."),
        _ => InvalidLink(http, pages),
    };

    public static ContentHttpResult InvalidLink(HttpContext http, SitePages pages) =>
        pages.Message(http, "This link is not valid", StatusCodes.Status400BadRequest,
            "The link is incomplete, was changed, or is no longer in use. Use the newest link from your email, unchanged.");

    public static ContentHttpResult ExpiredForm(HttpContext http, SitePages pages, (string Url, string Text) back) =>
        pages.Message(http, "This form has expired", StatusCodes.Status400BadRequest, back, "Please load the page again and resubmit.");
}
