using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Digest;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Web;

/// <summary>
/// The operator page: any subscriber's digest for any date, rendered by the templates in use and re-rendered when a
/// template changes (the page asks /admin/version every two seconds). With no token configured
/// (<see cref="AdminOptions.Token"/>) there is no page. Every endpoint but sign-in is behind one endpoint filter
/// (<see cref="RequireOperator"/>); who passes it is <see cref="AdminAccess"/>'s decision.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>The digest is data from outside (paper titles): it may style itself but never run anything, and only the operator page may frame it.</summary>
    private const string DigestPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'";

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(SiteForms.LimitBody);
        if (app.ServiceProvider.GetRequiredService<AdminAccess>().Token is null)
        {
            admin.MapMethods("/{**rest}", ["GET", "POST"], (HttpContext http, SitePages pages) => pages.Message(http, "The operator page is off", StatusCodes.Status404NotFound,
                $"Set the environment variable {AdminOptions.TokenVariable} (or Admin__Token) to a long random secret and restart."));
            return app;
        }

        admin.MapPost("/login", async Task<Results<RedirectHttpResult, ContentHttpResult>> (HttpContext http, AdminAccess access, SitePages pages, CancellationToken ct) =>
        {
            var result = access.SignIn(http, (await SiteForms.ReadAsync(http, ct))["token"].ToString());
            if (result == AdminAccessResult.Allowed) return TypedResults.Redirect("/admin");
            return Refusal(http, pages, result);
        });

        var guarded = admin.MapGroup("").AddEndpointFilter(RequireOperator);
        guarded.MapAdminStatus();

        guarded.MapGet("/", async (HttpContext http, string? email, string? date, ISubscriberStore subscribers, TemplateLibrary templates, CancellationToken ct) =>
            TypedResults.Content(AdminPage.Render(await subscribers.ListAsync(null, ct), email ?? "", date ?? "", templates), "text/html; charset=utf-8"));

        guarded.MapGet("/version", (TemplateLibrary templates) => TypedResults.Json(new
        {
            version = templates.Version,
            problems = templates.Problems.Select(p => p.ToString()).ToArray(),
        }));

        guarded.MapGet("/digest", async Task<ContentHttpResult> (HttpContext http, string? email, DateOnly? date, string? part,
            ISubscriberStore subscribers, DigestPreview preview, DigestRenderer renderer, SitePages pages, CancellationToken ct) =>
        {
            try
            {
                RenderedDigest? digest;
                if (string.IsNullOrEmpty(email)) digest = renderer.Render(SampleDigest.Content());
                else
                {
                    var who = await subscribers.GetByEmailAsync(email, ct);
                    if (who is null) return pages.Message(http, "No such subscriber", StatusCodes.Status404NotFound, $"No subscriber has the address {email}.");
                    digest = (await preview.PreviewAsync(who, date, ct)).Digest;
                    if (digest is null)
                        return pages.Message(http, "No digest", StatusCodes.Status200OK,
                            $"{email} gets no digest for {(date is { } d ? d.ToString("yyyy-MM-dd") : "today")}: no new paper matches the profile.");
                }
                http.Response.Headers.ContentSecurityPolicy = DigestPolicy;
                http.Response.Headers.XFrameOptions = "SAMEORIGIN";
                return part == "text"
                    ? TypedResults.Text($"Subject: {digest.Subject}\n\n{digest.Text}", "text/plain; charset=utf-8")
                    : TypedResults.Content(digest.Html, "text/html; charset=utf-8");
            }
            catch (TemplateException ex)
            {
                return pages.Message(http, "The templates cannot render this digest", StatusCodes.Status500InternalServerError, ex.Message);
            }
        });
        return app;
    }

    /// <summary>Lets operators through; everyone else gets the sign-in page (or 429 while their address is locked out).</summary>
    public static async ValueTask<object?> RequireOperator(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<AdminAccess>();
        var result = access.Check(http);
        return result == AdminAccessResult.Allowed ? await next(context) : Refusal(http, http.RequestServices.GetRequiredService<SitePages>(), result);
    }

    private static ContentHttpResult Refusal(HttpContext http, SitePages pages, AdminAccessResult result)
    {
        if (result == AdminAccessResult.TooManyFailures)
        {
            http.Response.Headers.RetryAfter = "3600";
            return pages.Message(http, "Too many wrong tokens", StatusCodes.Status429TooManyRequests,
                "Too many wrong operator tokens came from your network address in the last hour, so none is checked for now.",
                "Wait an hour, then sign in with the token from Admin:Token (PAPERMAILER_ADMIN_TOKEN).");
        }
        return pages.Page(http, "admin-login", "Operator sign-in", new Dictionary<string, object?>
        {
            ["error"] = result == AdminAccessResult.WrongToken ? "That token is not right." : null,
        }, StatusCodes.Status401Unauthorized);
    }
}
