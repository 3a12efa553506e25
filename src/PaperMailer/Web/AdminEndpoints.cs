using System.Net;
using System.Security.Cryptography;
using System.Text;
using PaperMailer.Digest;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Web;

/// <summary>
/// The operator page: any subscriber's digest for any date, rendered by the templates in use and re-rendered when a
/// template changes (the page asks /admin/version every two seconds). Guarded by the operator token from
/// Admin:Token (environment: Admin__Token or PAPERMAILER_ADMIN_TOKEN); with no token configured there is no page.
/// The token is given once (POST /admin/login or an "Authorization: Bearer" header) and kept in an HttpOnly cookie.
/// </summary>
public static class AdminEndpoints
{
    public const string TokenKey = "Admin:Token";
    public const string TokenVariable = "PAPERMAILER_ADMIN_TOKEN";
    private const string CookieName = "papermailer_admin";

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var token = configuration[TokenKey] is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable(TokenVariable);
        var admin = app.MapGroup("/admin");
        if (string.IsNullOrWhiteSpace(token))
        {
            admin.MapMethods("/{**rest}", ["GET", "POST"], () => Results.Text(
                $"The operator page is off: set the environment variable {TokenVariable} (or Admin__Token) to a long random secret and restart.",
                statusCode: StatusCodes.Status404NotFound));
            return app;
        }
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        bool Allowed(HttpContext http)
        {
            var given = http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal)
                ? header["Bearer ".Length..]
                : http.Request.Cookies[CookieName];
            return given is not null && CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(given)));
        }

        admin.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var given = form["token"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(given)))) return LoginPage("That token is not right.");
            http.Response.Cookies.Append(CookieName, given, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/admin" });
            return Results.Redirect("/admin");
        }).DisableAntiforgery();

        admin.MapGet("/", async (HttpContext http, ISubscriberStore subscribers, TemplateLibrary templates, CancellationToken ct) =>
        {
            if (!Allowed(http)) return LoginPage(null);
            var all = await subscribers.ListAsync(null, ct);
            return Results.Content(AdminPage.Render(all, http.Request.Query["email"].ToString(), http.Request.Query["date"].ToString(), templates), "text/html; charset=utf-8");
        });

        admin.MapGet("/version", (HttpContext http, TemplateLibrary templates) =>
            !Allowed(http) ? Results.Unauthorized() : Results.Json(new
            {
                version = templates.Version,
                problems = templates.Problems.Select(p => p.ToString()).ToArray(),
            }));

        admin.MapGet("/digest", async (HttpContext http, string? email, DateOnly? date, string? part,
            ISubscriberStore subscribers, DigestPreview preview, DigestRenderer renderer, CancellationToken ct) =>
        {
            if (!Allowed(http)) return Results.Unauthorized();
            // The digest is data from outside (paper titles): it may style itself but never run anything.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:";
            try
            {
                RenderedDigest? digest;
                if (string.IsNullOrEmpty(email)) digest = renderer.Render(SampleDigest.Content());
                else
                {
                    var who = await subscribers.GetByEmailAsync(email, ct);
                    if (who is null) return Notice($"No subscriber has the address {email}.", StatusCodes.Status404NotFound);
                    digest = (await preview.PreviewAsync(who, date, ct)).Digest;
                    if (digest is null) return Notice($"{email} gets no digest for {(date is { } d ? d.ToString("yyyy-MM-dd") : "today")}: no new paper matches the profile.");
                }
                return part == "text"
                    ? Results.Text($"Subject: {digest.Subject}\n\n{digest.Text}", "text/plain; charset=utf-8")
                    : Results.Content(digest.Html, "text/html; charset=utf-8");
            }
            catch (TemplateException ex)
            {
                return Notice(ex.Message, StatusCodes.Status500InternalServerError);
            }
        });
        return app;
    }

    private static IResult Notice(string text, int status = StatusCodes.Status200OK) =>
        Results.Content($"<!DOCTYPE html><meta charset=\"utf-8\"><p style=\"font-family:Helvetica,Arial,sans-serif;padding:24px;\">{WebUtility.HtmlEncode(text)}</p>",
            "text/html; charset=utf-8", statusCode: status);

    private static IResult LoginPage(string? error) => Results.Content(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PaperMailer operator</title></head>" +
        "<body style=\"font-family:Helvetica,Arial,sans-serif;max-width:420px;margin:48px auto;padding:0 16px;\"><h1 style=\"font-size:20px;\">Operator token</h1>" +
        (error is null ? "" : $"<p style=\"color:#b91c1c;\">{WebUtility.HtmlEncode(error)}</p>") +
        "<form method=\"post\" action=\"/admin/login\"><input type=\"password\" name=\"token\" autofocus style=\"width:100%;font-size:16px;padding:8px;\"><p><button type=\"submit\">Open</button></p></form></body></html>",
        "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
}
