using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PaperMailer.Render;

namespace PaperMailer.Web;

/// <summary>
/// The headers every response carries, error pages and the operator page included. The Content-Security-Policy lets
/// a page run only the inline scripts written in the page templates themselves (by their SHA-256 hash, taken from
/// the template files in use, so an operator's edit stays allowed) and the operator page's own script: a value that
/// ever slipped through the templates' escaping could not run. A script in a template must therefore be literal text;
/// one built from template values would not match its hash and the browser would not run it. Styles may be inline
/// (the pages are styled in their templates). HSTS is sent only over HTTPS, where a browser honours it.
/// A response that sets its own policy (the digest preview, shown in a frame of the operator page) keeps it.
/// </summary>
public sealed partial class SecurityHeaders(TemplateLibrary templates)
{
    private readonly Lock _lock = new();
    private (string Version, string Policy)? _cached;

    public const string ReferrerPolicy = "no-referrer";
    public const string StrictTransportSecurity = "max-age=31536000";

    public void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.TryAdd("Content-Security-Policy", Policy());
        headers.TryAdd("X-Content-Type-Options", "nosniff");
        // Links carry their token in the query: never hand the address to another site.
        headers.TryAdd("Referrer-Policy", ReferrerPolicy);
        headers.TryAdd("X-Frame-Options", "DENY");
        if (http.Request.IsHttps) headers.TryAdd("Strict-Transport-Security", StrictTransportSecurity);
    }

    /// <summary>The policy for the templates in use; recomputed when they change.</summary>
    public string Policy()
    {
        string version;
        IReadOnlyList<string> sources;
        try
        {
            (version, sources) = templates.SourcesUnder("web/");
        }
        catch (TemplateException)
        {
            // No good templates: no page renders, and no page script is allowed.
            (version, sources) = ("none", []);
        }
        lock (_lock)
        {
            if (_cached is { } hit && hit.Version == version) return hit.Policy;
        }
        var hashes = sources.SelectMany(ScriptsIn).Append(AdminPage.Script).Distinct(StringComparer.Ordinal).Select(Hash);
        var policy = $"default-src 'none'; script-src {string.Join(' ', hashes)}; style-src 'unsafe-inline'; img-src 'self' data: https:; " +
            "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        lock (_lock) _cached = (version, policy);
        return policy;
    }

    /// <summary>The text of each inline script (one without a src attribute) in an HTML text.</summary>
    public static IEnumerable<string> ScriptsIn(string html) => InlineScript().Matches(html).Select(m => m.Groups["body"].Value);

    public static string Hash(string script) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'";

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
