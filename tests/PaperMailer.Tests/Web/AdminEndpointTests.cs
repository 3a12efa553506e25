using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Tests.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>The operator page of the real `papermailer run` application on Kestrel at 127.0.0.1.</summary>
public sealed class AdminEndpointTests : IAsyncDisposable
{
    private const string Token = "operator-secret-for-tests";
    private readonly TempFolder _templates = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private RunningService? _service;

    private string Templates => _templates.Path;

    private async Task<HttpClient> StartAsync(string? token)
    {
        DigestRendererTests.CopyTemplates(Templates);
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Templates:Directory"] = Templates, ["Admin:Token"] = token },
            services => services.AddSingleton<TimeProvider>(_clock));
        return Client();
    }

    private HttpClient Client() => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _service!.Address };

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        _templates.Dispose();
    }

    [Fact]
    public async Task Without_a_configured_token_there_is_no_operator_page()
    {
        var http = await StartAsync(token: null);

        var response = await http.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("PAPERMAILER_ADMIN_TOKEN", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_asks_for_the_token_and_refuses_a_wrong_one()
    {
        var http = await StartAsync(Token);

        var anonymous = await http.GetAsync("/admin/digest");
        var page = await http.GetAsync("/admin");
        var wrong = await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", "guess")]));
        var wrongBearer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin/digest") { Headers = { { "Authorization", "Bearer guess" } } });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("name=\"token\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
    }

    [Fact]
    public async Task After_login_the_digest_is_shown_and_re_rendered_when_a_template_changes()
    {
        var http = await StartAsync(Token);
        var login = await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var page = await http.GetStringAsync("/admin");
        var before = await http.GetFromJsonAsync<JsonElement>("/admin/version");
        var html = await http.GetStringAsync("/admin/digest");
        var text = await http.GetStringAsync("/admin/digest?part=text");

        var subject = Path.Combine(Templates, "digest.subject.sbn");
        File.WriteAllText(subject, "Edited: {{ paper_count }} papers");
        File.SetLastWriteTimeUtc(subject, DateTime.UtcNow.AddMinutes(1));
        var after = await http.GetFromJsonAsync<JsonElement>("/admin/version");
        var edited = await http.GetStringAsync("/admin/digest?part=text");

        Assert.Contains("/admin/version", page);
        Assert.Contains("3 new papers for you", html);
        Assert.StartsWith("Subject: Planning with Language Agents and 2 more papers · 22 Nov", text);
        Assert.NotEqual(before.GetProperty("version").GetString(), after.GetProperty("version").GetString());
        Assert.StartsWith("Subject: Edited: 3 papers", edited);
    }

    [Fact]
    public async Task A_broken_edit_shows_its_problem_and_the_page_keeps_the_last_good_version()
    {
        var http = await StartAsync(Token);
        var bearer = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        http.DefaultRequestHeaders.Authorization = bearer;
        var before = await http.GetFromJsonAsync<JsonElement>("/admin/version");

        var subject = Path.Combine(Templates, "digest.subject.sbn");
        File.WriteAllText(subject, "{{ if papers }}broken");
        File.SetLastWriteTimeUtc(subject, DateTime.UtcNow.AddMinutes(1));
        var after = await http.GetFromJsonAsync<JsonElement>("/admin/version");
        var text = await http.GetStringAsync("/admin/digest?part=text");

        Assert.Equal(before.GetProperty("version").GetString(), after.GetProperty("version").GetString());
        Assert.StartsWith("digest.subject.sbn:1:", after.GetProperty("problems")[0].GetString());
        Assert.StartsWith("Subject: Planning with Language Agents and 2 more papers", text);
    }

    [Fact]
    public async Task A_broken_page_template_is_reported_and_the_site_keeps_serving_the_last_good_pages()
    {
        var http = await StartAsync(Token);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        var before = await http.GetStringAsync("/");

        var home = Path.Combine(Templates, "web", "home.sbn");
        File.WriteAllText(home, File.ReadAllText(home).Replace("{{ form.email }}", "{{ form.emial }}", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(home, DateTime.UtcNow.AddMinutes(1));
        var after = await http.GetAsync("/");
        var state = await http.GetFromJsonAsync<JsonElement>("/admin/version");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("<form class=\"card\" method=\"post\" action=\"/subscribe\">", await after.Content.ReadAsStringAsync());
        Assert.Contains("<form class=\"card\" method=\"post\" action=\"/subscribe\">", before);
        Assert.StartsWith("web/home.sbn:12:62: ", state.GetProperty("problems")[0].GetString());
        Assert.Contains("Cannot get member with name emial", state.GetProperty("problems")[0].GetString());
    }

    [Fact]
    public async Task The_browser_keeps_a_signed_session_not_the_token()
    {
        var http = await StartAsync(Token);

        var login = await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));

        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("papermailer_admin=", cookie);
        Assert.DoesNotContain(Token, cookie);
        Assert.DoesNotContain(Uri.EscapeDataString(Token), cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin/version")).StatusCode);

        // The session is the signed text, exactly: changed, or with the token in its place, it opens nothing.
        var session = cookie["papermailer_admin=".Length..cookie.IndexOf(';')];
        foreach (var forged in new[] { session[..^1] + (session[^1] == 'A' ? 'B' : 'A'), session + "=", (long.Parse(session.Split('.')[0]) + 3600) + "." + session.Split('.')[1], Token })
        {
            using var other = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _service!.Address };
            var request = new HttpRequestMessage(HttpMethod.Get, "/admin/version") { Headers = { { "Cookie", $"papermailer_admin={forged}" } } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.SendAsync(request)).StatusCode);
        }

        // It ends with its lifetime (12 hours by default).
        _clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/version")).StatusCode);
    }

    [Fact]
    public async Task Wrong_tokens_from_one_address_are_refused_after_ten_an_hour_even_the_right_one()
    {
        var http = await StartAsync(Token);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            statuses.Add((await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", $"guess-{i}")]))).StatusCode);
        }
        var rightLogin = await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));
        var rightBearer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin/version") { Headers = { { "Authorization", $"Bearer {Token}" } } });

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), statuses.Take(10));
        Assert.All(statuses.Skip(10), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightLogin.StatusCode);
        Assert.Contains("Too many wrong tokens", await rightLogin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, rightBearer.StatusCode);

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin/version")).StatusCode);
    }
    /// <summary>
    /// The page as an operator first opens it (no subscriber, no date picked): every frame it shows must load. Its
    /// frames used to ask for "date=" and got 400, a blank page until a date was chosen.
    /// </summary>
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin?email=&date=")]
    public async Task Every_frame_of_the_page_as_first_opened_shows_a_digest(string opened)
    {
        var http = await StartAsync(Token);
        await http.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));

        var page = await http.GetStringAsync(opened);
        var frames = System.Text.RegularExpressions.Regex.Matches(page, "<iframe[^>]* src=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

        Assert.Equal(3, frames.Count);
        foreach (var frame in frames)
        {
            var response = await http.GetAsync(frame);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{frame} answered {(int)response.StatusCode}");
            Assert.Contains(frame.Contains("part=text", StringComparison.Ordinal) ? "Subject: " : "<html", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
