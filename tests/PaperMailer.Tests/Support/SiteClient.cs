using System.Net;
using System.Text.RegularExpressions;

namespace PaperMailer.Tests.Support;

/// <summary>A browser-like HTTP client: keeps cookies and sends forms with the antiforgery field the page carried.</summary>
public sealed partial class SiteClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="formPage"/>, takes its antiforgery field, and posts the fields to <paramref name="action"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SubmitAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, page) = await GetAsync(formPage);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "the form page has no antiforgery field");
        return await PostAsync(action, fields.Append(new(WebUtility.HtmlDecode(token.Groups["name"].Value), WebUtility.HtmlDecode(token.Groups["value"].Value))));
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var response = await _http.PostAsync(path, new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
