using System.Net;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>
/// Every error of the real `papermailer run` application is a page from the operator's templates (here a copy whose
/// layout carries a mark), with a status that says what happened and words that say what to do.
/// </summary>
[RunsForAbout(seconds: 8)]
public sealed class ErrorPageTests : IAsyncLifetime
{
    private const string LayoutMark = "<header class=\"site\" data-edited-by-operator>";
    private readonly TempFolder _templates = new();
    private RunningService _service = null!;
    private SiteClient _site = null!;

    public async Task InitializeAsync()
    {
        Render.DigestRendererTests.CopyTemplates(_templates.Path);
        var layout = Path.Combine(_templates.Path, "web", "partials", "page-layout.sbn");
        File.WriteAllText(layout, File.ReadAllText(layout).Replace("<header class=\"site\">", LayoutMark, StringComparison.Ordinal));
        _service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["Templates:Directory"] = _templates.Path,
            ["Subscriptions:MaxRequestsPerIpPerHour"] = "1",
            ["Admin:Token"] = "operator-secret-for-error-tests",
        });
        _site = new SiteClient(_service.Address);
    }

    public async Task DisposeAsync()
    {
        _site.Dispose();
        await _service.DisposeAsync();
        _templates.Dispose();
    }

    private static void AssertPage(HttpStatusCode expected, string heading, string advice, (HttpStatusCode Status, string Body) actual)
    {
        Assert.Equal(expected, actual.Status);
        Assert.Contains(LayoutMark, actual.Body);
        Assert.Contains($"<h1>{heading}</h1>", actual.Body);
        Assert.Contains(advice, actual.Body);
    }

    [Fact]
    public async Task No_such_page_and_a_wrong_method_get_pages_that_say_so()
    {
        AssertPage(HttpStatusCode.NotFound, "There is no page here", "Links in our emails work as sent", await _site.GetAsync("/no-such-page"));
        AssertPage(HttpStatusCode.MethodNotAllowed, "This page does not take that kind of request", "use its own buttons", await _site.GetAsync("/subscribe"));
        AssertPage(HttpStatusCode.MethodNotAllowed, "This page does not take that kind of request", "use its own buttons", await _site.PostAsync("/", []));
    }

    [Fact]
    public async Task A_bad_link_and_an_expired_form_get_pages_that_say_what_to_do()
    {
        AssertPage(HttpStatusCode.BadRequest, "This link is not valid", "Use the newest link from your email", await _site.GetAsync("/manage?token=manage.1.0.AAAA"));
        AssertPage(HttpStatusCode.BadRequest, "This form has expired", "load the page again", await _site.PostAsync("/subscribe", [new("email", "ada@example.org")]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public async Task A_form_body_over_the_limit_gets_the_too_large_page_not_an_expired_form(int megabytes)
    {
        // As curl sends a large body: the server may answer before any of it is sent (otherwise it answers and
        // closes the connection while the client is still writing, and the client sees a broken pipe, not the page).
        // The client waits for that answer as long as it takes: after the default one second, which a busy machine
        // can exceed, it would start writing the body anyway and meet the closed connection.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(2) };
        using var http = new HttpClient(handler) { BaseAddress = _service.Address };
        http.DefaultRequestHeaders.ExpectContinue = true;

        using var response = await http.PostAsync("/subscribe",
            new FormUrlEncodedContent([new("email", "ada@example.org"), new("keywords", new string('a', megabytes * 1024 * 1024))]));

        AssertPage(HttpStatusCode.RequestEntityTooLarge, "That form is too large", "Shorten what you typed", (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Null(await _service.Get<PaperMailer.Storage.ISubscriberStore>().GetByEmailAsync("ada@example.org"));
    }

    [Fact]
    public async Task Too_many_subscribe_emails_from_one_address_get_a_page_with_the_time_to_wait()
    {
        await _site.SubmitAsync("/", "/subscribe", [new("email", "ada@example.org"), new("keywords", "agents")]);

        var answer = await _site.SubmitAsync("/", "/subscribe", [new("email", "bob@example.org"), new("keywords", "agents")]);

        AssertPage(HttpStatusCode.TooManyRequests, "Too many requests", "try again in an hour", answer);
    }

    [Fact]
    public async Task The_operator_sign_in_and_a_wrong_token_are_pages_from_the_templates()
    {
        AssertPage(HttpStatusCode.Unauthorized, "Operator sign-in", "name=\"token\"", await _site.GetAsync("/admin"));
        AssertPage(HttpStatusCode.Unauthorized, "Operator sign-in", "That token is not right.", await _site.PostAsync("/admin/login", [new("token", "guess")]));
    }
    /// <summary>
    /// A fault on our side (here the database losing a table under the running site, as a botched manual repair
    /// would) is the templates' page that says so, not a bare 500 or a stack trace.
    /// </summary>
    [Fact]
    public async Task A_fault_on_our_side_gets_the_page_that_says_it_was_not_the_reader()
    {
        await _service.Store.ExecuteAsync(_service.Store.Provider == StorageProvider.Sqlite
            ? "DROP TABLE consents; DROP TABLE subscribers;"
            : "DROP TABLE consents, subscribers CASCADE");

        var answer = await _site.SubmitAsync("/", "/subscribe", [new("email", "ada@example.org"), new("keywords", "agents")]);

        AssertPage(HttpStatusCode.InternalServerError, "Something went wrong on our side", "Nothing you did caused this.", answer);
        Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
    }
}
