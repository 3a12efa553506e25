using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;
using PaperMailer.Web;

namespace PaperMailer.Tests.Web;

/// <summary>The headers of every kind of response of the real `papermailer run` application on Kestrel, over HTTP and HTTPS.</summary>
public sealed partial class SecurityHeadersTests : IAsyncDisposable
{
    private const string Token = "operator-secret-for-header-tests";
    private readonly TempFolder _certificate = new();
    private RunningService? _service;

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        _certificate.Dispose();
    }

    /// <summary>One path of every kind: site pages (with real signed links), errors, the operator's pages and the health check.</summary>
    private async Task<List<(string Name, HttpResponseMessage Response, string Body)>> FetchEveryKindAsync(HttpClient anonymous, HttpClient signedIn)
    {
        var store = _service!.Get<ISubscriberStore>();
        var links = _service.Get<SubscriberLinks>();
        var ann = await store.AddAsync(new Subscriber { Email = "ann@example.org", Profile = new SubscriberProfile { Keywords = ["x"] }, CreatedAt = DateTimeOffset.UtcNow });
        var pending = await store.AddAsync(new Subscriber { Email = "pat@example.org", Profile = new SubscriberProfile { Keywords = ["x"] }, Status = SubscriberStatus.Pending, CreatedAt = DateTimeOffset.UtcNow });
        var pages = new List<(string, HttpClient, HttpMethod, string)>
        {
            ("home page", anonymous, HttpMethod.Get, "/"),
            ("preferences page", anonymous, HttpMethod.Get, new Uri(links.ManageUrl(ann.Id)).PathAndQuery),
            ("unsubscribe page", anonymous, HttpMethod.Get, new Uri(links.UnsubscribeUrl(ann.Id)).PathAndQuery),
            ("confirmation page", anonymous, HttpMethod.Get, new Uri(links.ConfirmUrl(pending.Id, TimeSpan.FromDays(1))).PathAndQuery),
            ("invalid link page", anonymous, HttpMethod.Get, "/manage?token=manage.1.0.AAAA"),
            ("404 page", anonymous, HttpMethod.Get, "/no-such-page"),
            ("405 page", anonymous, HttpMethod.Get, "/subscribe"),
            ("operator sign-in", anonymous, HttpMethod.Get, "/admin"),
            ("operator page", signedIn, HttpMethod.Get, "/admin"),
            ("operator version", signedIn, HttpMethod.Get, "/admin/version"),
            ("health check", anonymous, HttpMethod.Get, "/healthz"),
        };
        var responses = new List<(string, HttpResponseMessage, string)>();
        foreach (var (name, client, method, path) in pages)
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, path));
            responses.Add((name, response, await response.Content.ReadAsStringAsync()));
        }
        return responses;
    }

    private async Task<(HttpClient Anonymous, HttpClient SignedIn)> ClientsAsync(Func<HttpClientHandler> handler)
    {
        var anonymous = new HttpClient(handler()) { BaseAddress = _service!.Address };
        var signedIn = new HttpClient(handler()) { BaseAddress = _service.Address };
        var login = await signedIn.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return (anonymous, signedIn);
    }

    private static HttpClientHandler Handler() => new() { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };

    [Fact]
    public async Task Every_page_error_and_operator_page_carries_a_strict_policy_and_the_other_headers()
    {
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Admin:Token"] = Token });
        var (anonymous, signedIn) = await ClientsAsync(Handler);

        var responses = await FetchEveryKindAsync(anonymous, signedIn);

        Assert.Equal([200, 200, 200, 200, 400, 404, 405, 401, 200, 200, 200], responses.Select(r => (int)r.Response.StatusCode));
        foreach (var (name, response, body) in responses)
        {
            var policy = Header(response, "Content-Security-Policy");
            Assert.True(policy.Contains("default-src 'none'", StringComparison.Ordinal), $"{name}: {policy}");
            Assert.True(policy.Contains("frame-ancestors 'none'", StringComparison.Ordinal), $"{name}: {policy}");
            var scripts = Regex.Match(policy, "script-src ([^;]*)").Groups[1].Value;
            Assert.True(scripts.Split(' ').All(s => s.StartsWith("'sha256-", StringComparison.Ordinal)), $"{name}: scripts allowed only by hash, not \"{scripts}\"");
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{name}: HSTS over plain HTTP");
            // Every inline script the page has is one the policy allows: none is blocked, and none but these runs.
            foreach (var script in SecurityHeaders.ScriptsIn(body))
            {
                Assert.Contains(SecurityHeaders.Hash(script), scripts);
            }
        }
        Assert.Single(SecurityHeaders.ScriptsIn(responses.Single(r => r.Name == "home page").Body));
        Assert.Single(SecurityHeaders.ScriptsIn(responses.Single(r => r.Name == "operator page").Body));
    }

    [Fact]
    public async Task A_script_an_operator_adds_to_a_page_template_is_allowed_and_one_built_from_values_is_not()
    {
        using var templates = new TempFolder();
        Render.DigestRendererTests.CopyTemplates(templates.Path);
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Templates:Directory"] = templates.Path });
        using var http = new HttpClient { BaseAddress = _service.Address };
        var message = Path.Combine(templates.Path, "web", "message.sbn");
        File.WriteAllText(message, File.ReadAllText(message).Replace("{{~ end ~}}", "<script>console.log('operator');</script><script>console.log('{{ title }}');</script>\n{{~ end ~}}", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(message, DateTime.UtcNow.AddMinutes(1));

        var response = await http.GetAsync("/no-such-page");

        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains(SecurityHeaders.Hash("console.log('operator');"), policy);
        Assert.DoesNotContain(SecurityHeaders.Hash("console.log('There is no page here');"), policy);
        Assert.Contains("console.log('There is no page here');", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Over_https_every_response_asks_for_https_from_now_on_and_the_operator_cookie_is_secure()
    {
        var certificate = SelfSignedCertificate(_certificate.File("site.pfx"));
        _service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:Token"] = Token,
            ["Urls"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = _certificate.File("site.pfx"),
            ["Kestrel:Certificates:Default:Password"] = "test",
        });
        HttpClientHandler Trusting()
        {
            var handler = Handler();
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint;
            return handler;
        }
        using var login = new HttpClient(Trusting()) { BaseAddress = _service.Address };
        var signIn = await login.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", Token)]));
        var (anonymous, signedIn) = await ClientsAsync(Trusting);

        var responses = await FetchEveryKindAsync(anonymous, signedIn);

        Assert.Equal("https", _service.Address.Scheme);
        Assert.All(responses, r => Assert.Equal(SecurityHeaders.StrictTransportSecurity, Header(r.Response, "Strict-Transport-Security")));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_digest_preview_may_be_framed_only_by_the_operator_page_and_runs_no_script()
    {
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Admin:Token"] = Token });
        var (_, signedIn) = await ClientsAsync(Handler);

        var preview = await signedIn.GetAsync("/admin/digest");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var policy = Header(preview, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'self'", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.Equal("SAMEORIGIN", Header(preview, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(preview, "X-Content-Type-Options"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : $"(no {name} header)";

    private static X509Certificate2 SelfSignedCertificate(string pfxPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = certificate.Export(X509ContentType.Pfx, "test");
        File.WriteAllBytes(pfxPath, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, "test");
    }
}
