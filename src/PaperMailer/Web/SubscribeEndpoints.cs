using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>The public site: the home page with its subscribe form, and the confirmation link (double opt-in).</summary>
public static class SubscribeEndpoints
{
    public const string RateLimitPolicy = "subscribe-per-ip";

    /// <summary>Per-IP limit on subscribe requests (the per-address limit lives in <see cref="SubscriptionService"/>).</summary>
    public static IServiceCollection AddSubscribeRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, http =>
            {
                var perHour = http.RequestServices.GetRequiredService<IOptions<SubscriptionOptions>>().Value.MaxRequestsPerIpPerHour;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many subscribe requests from your address. Please try again in an hour.", ct);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSubscribe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext http, SitePages pages, TopicExamples examples, CancellationToken ct) =>
        {
            var model = new Dictionary<string, object?>();
            pages.AddProfileFields(model, ProfileForm.Empty, await examples.GetAsync(ct));
            return pages.Page(http, "home", "Research papers by email", model);
        });

        app.MapPost("/subscribe", async (HttpContext http, SitePages pages, IAntiforgery antiforgery, SubscriptionService subscriptions, TopicExamples examples, CancellationToken ct) =>
        {
            if (!await IsGenuineFormAsync(http, antiforgery))
                return pages.Message(http, "This form has expired", StatusCodes.Status400BadRequest, ("/", "Back to the form"), "Please load the page again and resubmit.");
            var (form, problems) = ProfileForm.Read(await http.Request.ReadFormAsync(ct));
            if (problems.Count == 0)
            {
                var outcome = await subscriptions.RequestAsync(new SubscribeRequest
                {
                    Email = form.Email,
                    Topics = form.Topics,
                    Keywords = form.Keywords,
                    Exclude = form.Exclude,
                    TimeZone = form.TimeZone,
                    DeliveryHour = form.Hour,
                    Frequency = form.Frequency == "weekly" ? DigestFrequency.Weekly : DigestFrequency.Daily,
                    Ip = http.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = http.Request.Headers.UserAgent.ToString(),
                }, ct);
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
        }).RequireRateLimiting(RateLimitPolicy);

        app.MapGet("/confirm", async (HttpContext http, string? token, SitePages pages, SubscriptionService subscriptions, CancellationToken ct) =>
        {
            var outcome = await subscriptions.ConfirmAsync(token, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            return outcome switch
            {
                ConfirmOutcome.Confirmed => pages.Message(http, "You are subscribed", StatusCodes.Status200OK,
                    "Your first digest arrives at the hour you chose, as soon as there are new papers for you."),
                ConfirmOutcome.AlreadyConfirmed => pages.Message(http, "Already confirmed", StatusCodes.Status200OK,
                    "This subscription was confirmed before; nothing changed."),
                ConfirmOutcome.Expired => pages.Message(http, "This link has expired", StatusCodes.Status410Gone, ("/", "Subscribe again"),
                    "Confirmation links work for a limited time. Subscribe again to get a new one."),
                _ => InvalidLink(http, pages),
            };
        });
        return app;
    }

    public static IResult InvalidLink(HttpContext http, SitePages pages) =>
        pages.Message(http, "This link is not valid", StatusCodes.Status400BadRequest,
            "The link is incomplete, was changed, or is no longer in use. Use the newest link from your email, unchanged.");

    public static async Task<bool> IsGenuineFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
