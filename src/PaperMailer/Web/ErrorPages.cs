using Microsoft.AspNetCore.Diagnostics;
using PaperMailer.Render;

namespace PaperMailer.Web;

/// <summary>
/// Every error the site answers with is a page from the templates (web/message.sbn) that says what happened and
/// what to do: a response that ends with an error status and no body (no such page, a method the page does not
/// take, the operator's 401), too large a body, too many requests, and anything that went wrong inside.
/// </summary>
public static class ErrorPages
{
    public static WebApplication UseErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Kestrel reports a body over the limit (and the form reader too large a form) as a bad request with its status.
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A visitor's oversized form is their mistake, answered by its page, not a failure worth a stack trace in the log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
            ExceptionHandler = WriteAsync,
        });
        app.UseStatusCodePages(context => WriteAsync(context.HttpContext));
        return app;
    }

    /// <summary>The page for the response's status code.</summary>
    public static async Task WriteAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var pages = http.RequestServices.GetRequiredService<SitePages>();
        var (title, paragraphs) = Describe(status);
        try
        {
            await pages.Message(http, title, status, ("/", "Go to the home page"), paragraphs).ExecuteAsync(http);
        }
        catch (TemplateException)
        {
            // The templates themselves are broken (the log says where): say it plainly rather than not at all.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"{title}. {string.Join(" ", paragraphs)}");
        }
    }

    public static (string Title, string[] Paragraphs) Describe(int status) => status switch
    {
        StatusCodes.Status404NotFound => ("There is no page here",
            ["The address may be mistyped, or the page has moved.", "Links in our emails work as sent: use the newest one, unchanged."]),
        StatusCodes.Status405MethodNotAllowed => ("This page does not take that kind of request",
            ["The address is right, but the request was not what the page expects (a form sent to a page that only shows, for example).",
             "Open the page and use its own buttons."]),
        StatusCodes.Status413PayloadTooLarge => ("That form is too large",
            [$"Forms on this site take at most {SiteForms.MaxBodyBytes / 1024} KB.", "Shorten what you typed (keywords and exclusions under 2,000 characters each) and send it again."]),
        StatusCodes.Status429TooManyRequests => ("Too many requests",
            ["Too many requests came from your network address in the last hour.",
             "Please try again in an hour. If many people share your address (a lab, a campus), each address can still subscribe later the same day."]),
        StatusCodes.Status401Unauthorized => ("Sign-in needed", ["This page is for the site's operator.", "Sign in at /admin with the operator token."]),
        >= 500 => ("Something went wrong on our side",
            ["Nothing you did caused this.", "Please try again in a few minutes; if it keeps happening, tell the site's operator."]),
        _ => ("That request could not be handled", ["The request was incomplete or malformed.", "Go back, load the page again and retry."]),
    };
}
