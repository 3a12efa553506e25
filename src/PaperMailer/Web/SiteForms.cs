using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;

namespace PaperMailer.Web;

/// <summary>
/// Reading what the site's forms post. Forms are small, so bodies are capped at <see cref="MaxBodyBytes"/>; a larger
/// one stops with 413 and the "too large" page (<see cref="ErrorPages"/>). The form is read here, before the
/// antiforgery check, because that check reports any failure to read the body as an expired form.
/// </summary>
public static class SiteForms
{
    /// <summary>The largest body a form on the site may send: the longest profile is about 5 KB.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>An endpoint filter that caps the request body before anything reads it.</summary>
    public static ValueTask<object?> LimitBody(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxBodyBytes;
        return next(context);
    }

    /// <summary>The posted form, or an empty one when the request is not a form (the RFC 8058 POST may come without a body).</summary>
    public static async Task<IFormCollection> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType) return FormCollection.Empty;
        try
        {
            return await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException error)
        {
            // Too many fields or too long a value, by FormOptions' limits: as much the sender's doing as a long body.
            throw new BadHttpRequestException("The form is too large.", StatusCodes.Status413PayloadTooLarge, error);
        }
    }

    /// <summary>The posted form when it carries the antiforgery field its page gave; null when it does not (an expired page, or a forgery).</summary>
    public static async Task<IFormCollection?> ReadGenuineAsync(HttpContext http, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var form = await ReadAsync(http, cancellationToken);
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return form;
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }
    }
}
