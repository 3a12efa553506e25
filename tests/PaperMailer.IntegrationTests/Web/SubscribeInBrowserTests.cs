using System.Text.Json;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using PaperMailer.Cli;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Web;

/// <summary>
/// A person in a real browser (headless Chromium) against `papermailer run`: subscribes on the page, gets the
/// confirmation email in the outbox, follows its link and presses its button, gets a digest and opens its web copy
/// ("View in browser"), reads the feed its footer links (parsed as Atom), finds the digest in the archive on the
/// preferences page, changes preferences, unsubscribes.
/// The pages run under the site's Content-Security-Policy, so the time zone preset also proves its script is allowed. Screenshots of each step
/// are kept under the test output's screenshots/ folder and checked not to be blank.
/// </summary>
[RunsForAbout(seconds: 30)]
public sealed class SubscribeInBrowserTests(SubscribeInBrowserTests.Site site) : IClassFixture<SubscribeInBrowserTests.Site>, IAsyncLifetime
{
    private readonly string _screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private PaperMailerService? _service;
    private ChromeDriver? _browser;

    /// <summary>
    /// One `papermailer run` for the class's tests, started by the first that needs it: the phone test only looks at
    /// the home page, which nothing the other test does changes. Each test has a browser with a fresh profile of its own.
    /// </summary>
    public sealed class Site : IAsyncLifetime
    {
        private readonly Lazy<Task<PaperMailerService>> _service;

        public Site() => _service = new(() => PaperMailerService.StartAsync(Folder));

        public string Folder { get; } = Directory.CreateTempSubdirectory("papermailer-browser-").FullName;

        public Task<PaperMailerService> ServiceAsync() => _service.Value;

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            if (_service.IsValueCreated) await (await _service.Value).DisposeAsync();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private string BrowserProfile => Path.Combine(site.Folder, $"chromium-profile-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        return Task.CompletedTask;
    }

    [BrowserFact]
    public async Task A_visitor_subscribes_confirms_reads_a_digest_in_the_browser_and_the_feed_changes_preferences_and_unsubscribes()
    {
        _service = await site.ServiceAsync();
        _browser = Browser.Start(1000, 1400, BrowserProfile);
        // The page presets the time zone from the browser's; pretend the visitor is in Tokyo.
        _browser.ExecuteCdpCommand("Emulation.setTimezoneOverride", new Dictionary<string, object?> { ["timezoneId"] = "Asia/Tokyo" });

        _browser.Navigate().GoToUrl(new Uri(_service.BaseUrl, "/").ToString());
        Assert.Equal("Asia/Tokyo", _browser.FindElement(By.Id("timezone")).GetDomProperty("value"));
        await BrowserWait.UntilAsync(() => _browser.PageSource.Contains("WebChallenger", StringComparison.Ordinal), "the home page shows example papers per topic");
        Screenshot("1-home");
        _browser.FindElement(By.CssSelector("input[name=topics][value=llm-agents]")).Click();
        _browser.FindElement(By.Id("keywords")).SendKeys("tool use, long-term memory");
        Choose("hour", "7");
        _browser.FindElement(By.Id("email")).SendKeys("visitor@example.org");
        _browser.FindElement(By.CssSelector("form[action='/subscribe'] button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.FindElement(By.TagName("h1")).Text == "Check your inbox", "the thank-you page");
        Screenshot("2-check-inbox");

        var confirm = LinkInEmail("confirm");
        Assert.Equal("pending", (await SubscriberAsync()).GetProperty("status").GetString());
        _browser.Navigate().GoToUrl(confirm);
        // Opening the link only asks (mail scanners open links too); the button confirms.
        Assert.Equal("Confirm your subscription", _browser.FindElement(By.TagName("h1")).Text);
        Assert.Equal("pending", (await SubscriberAsync()).GetProperty("status").GetString());
        Screenshot("3-confirm");
        _browser.FindElement(By.CssSelector("form[action^='/confirm'] button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.FindElement(By.TagName("h1")).Text == "You are subscribed", "the confirmed page");
        Screenshot("3-confirmed");
        var subscriber = await SubscriberAsync();
        Assert.Equal("active", subscriber.GetProperty("status").GetString());
        Assert.Equal("Asia/Tokyo", subscriber.GetProperty("timezone").GetString());
        Assert.Equal(7, subscriber.GetProperty("hour").GetInt32());
        Assert.Equal(["llm-agents"], subscriber.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        // A digest run (the command beside the service, on its database): the digest's web copy and feed.
        var run = new StringWriter();
        Assert.True(await CliApp.RunAsync(["digest", .. _service.Settings], run, run) == 0, run.ToString());
        var webCopy = LinkInEmail("digest");
        var digestText = LatestEmailTo();
        Assert.StartsWith($"View in browser: {webCopy}", digestText);
        _browser.Navigate().GoToUrl(webCopy);
        var papers = Regex.Matches(_browser.PageSource, @"arXiv:(\d{4}\.\d{5})").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(papers);
        Assert.Contains("this is your first digest", _browser.FindElement(By.TagName("body")).Text);
        Assert.Empty(_browser.FindElements(By.LinkText("View in browser")));
        Screenshot("4-web-copy");
        var feedUrl = _browser.FindElement(By.LinkText("Atom feed")).GetAttribute("href")!;
        var feed = await AtomFeedAsync(feedUrl);
        Assert.Equal(papers, feed.Items.Select(e => Regex.Match(e.Id, @"\d{4}\.\d{5}").Value));
        Assert.All(feed.Items, e => Assert.Matches("^(Matched|Partly matched|Similar in meaning to): ", ((System.ServiceModel.Syndication.TextSyndicationContent)e.Summary).Text));

        _browser.Navigate().GoToUrl(subscriber.GetProperty("manageUrl").GetString()!);
        var archived = Assert.Single(_browser.FindElements(By.CssSelector("li a[href*='/digest?token=']")));
        Assert.Equal(webCopy, archived.GetAttribute("href"));
        Assert.Contains($"{papers.Count} papers", archived.FindElement(By.XPath("..")).Text);
        Screenshot("5-archive");
        Choose("frequency", "weekly");
        Choose("hour", "18");
        _browser.FindElement(By.CssSelector("form[action^='/manage'] button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.PageSource.Contains("Saved.", StringComparison.Ordinal), "the saved preferences");
        Screenshot("6-preferences-saved");
        subscriber = await SubscriberAsync();
        Assert.Equal(("weekly", 18), (subscriber.GetProperty("frequency").GetString(), subscriber.GetProperty("hour").GetInt32()));

        _browser.FindElement(By.LinkText("Unsubscribe")).Click();
        Screenshot("7-unsubscribe");
        _browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.FindElement(By.TagName("h1")).Text == "You are unsubscribed", "the unsubscribed page");
        Screenshot("8-unsubscribed");
        Assert.Equal("unsubscribed", (await SubscriberAsync()).GetProperty("status").GetString());

        // Clicked by mistake: the page's undo button brings the same subscription back.
        _browser.FindElement(By.CssSelector("form[action^='/unsubscribe/undo'] button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.FindElement(By.TagName("h1")).Text == "You are subscribed again", "the undone unsubscribe");
        subscriber = await SubscriberAsync();
        Assert.Equal(("active", "weekly", 18), (subscriber.GetProperty("status").GetString(), subscriber.GetProperty("frequency").GetString(), subscriber.GetProperty("hour").GetInt32()));
    }

    [BrowserFact]
    public async Task On_a_375px_phone_the_email_field_is_on_the_first_screen()
    {
        _service = await site.ServiceAsync();
        _browser = Browser.Start(375, 740, BrowserProfile);

        _browser.Navigate().GoToUrl(new Uri(_service.BaseUrl, "/").ToString());

        var viewport = Convert.ToDouble(_browser.ExecuteScript("return window.innerHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        var bottom = Convert.ToDouble(_browser.ExecuteScript("return document.getElementById('email').getBoundingClientRect().bottom;"), System.Globalization.CultureInfo.InvariantCulture);
        var topics = Convert.ToDouble(_browser.ExecuteScript("return document.querySelector('input[name=topics]').getBoundingClientRect().top;"), System.Globalization.CultureInfo.InvariantCulture);
        Screenshot("phone-home");
        Assert.True(bottom <= viewport, $"the email field ends at {bottom}px, below the first screen ({viewport}px)");
        Assert.True(bottom < topics, "the email field comes before the topics on a phone");
    }

    private void Choose(string selectId, string value) =>
        _browser!.FindElement(By.CssSelector($"select#{selectId} option[value='{value}']")).Click();

    private void Screenshot(string name)
    {
        Directory.CreateDirectory(_screenshots);
        var png = _browser!.GetScreenshot().AsByteArray;
        File.WriteAllBytes(Path.Combine(_screenshots, $"subscribe-{name}.png"), png);
        var image = PngImage.Read(png);
        Assert.True(image.InkRatio() > 0.02, $"the screenshot {name} is blank ({image.InkRatio():P2} of pixels differ from the background)");
    }

    /// <summary>The link of that kind in the newest email to the visitor that has one.</summary>
    private string LinkInEmail(string kind)
    {
        var pattern = $@"http://127\.0\.0\.1:\d+/{kind}\?token=[\w.-]+";
        var email = EmailsToVisitor().LastOrDefault(text => Regex.IsMatch(text, pattern)) ?? "";
        var match = Regex.Match(email, pattern);
        Assert.True(match.Success, $"no {kind} link in the email");
        return match.Value;
    }

    /// <summary>The newest email to the visitor, its text part's soft line breaks undone.</summary>
    private string LatestEmailTo() => MimeKit.MimeMessage.Load(Directory.GetFiles(Path.Combine(site.Folder, "outbox"), "*.eml")
        .Where(f => File.ReadAllText(f).Contains("To: visitor@example.org", StringComparison.Ordinal)).OrderBy(File.GetLastWriteTimeUtc).Last()).TextBody ?? "";

    private List<string> EmailsToVisitor() => Directory.GetFiles(Path.Combine(site.Folder, "outbox"), "*.eml").OrderBy(File.GetLastWriteTimeUtc).Select(File.ReadAllText)
        .Where(text => text.Contains("To: visitor@example.org", StringComparison.Ordinal))
        .Select(text => text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal))
        .ToList();

    /// <summary>The feed as a feed reader reads it: .NET's Atom 1.0 formatter, which refuses anything that is not Atom.</summary>
    private static async Task<System.ServiceModel.Syndication.SyndicationFeed> AtomFeedAsync(string url)
    {
        using var http = new HttpClient();
        await using var stream = await http.GetStreamAsync(new Uri(url));
        using var reader = System.Xml.XmlReader.Create(stream);
        var formatter = new System.ServiceModel.Syndication.Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "the feed is not Atom 1.0");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    private async Task<JsonElement> SubscriberAsync()
    {
        var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["subscribers", "show", "visitor@example.org", "--json", .. _service!.Settings], output, output));
        return JsonDocument.Parse(output.ToString()).RootElement;
    }
}
