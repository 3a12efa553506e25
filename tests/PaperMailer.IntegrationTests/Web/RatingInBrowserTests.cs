using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using PaperMailer.Cli;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Web;

/// <summary>
/// A subscriber in a real browser (headless Chromium) against `papermailer run` clicks "Less like this" under a paper
/// of their digest: the link opens a confirmation page that changes nothing (as a mail scanner's visit must not), the
/// button records the vote, the preferences page lists what was learned, and the next digest, over papers collected
/// after the first, is ordered differently from what it would have been, with a paper sharing the disliked paper's
/// words moved down.
/// </summary>
[RunsForAbout(seconds: 40)]
public sealed class RatingInBrowserTests : IAsyncLifetime
{
    private const string Email = "reader@example.org";
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-rating-").FullName;
    private PaperMailerService? _service;
    private ChromeDriver? _browser;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        if (_service is not null) await _service.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [BrowserFact]
    public async Task Less_like_this_in_a_digest_is_confirmed_in_the_browser_and_the_next_digest_reflects_it()
    {
        // Half the sample papers before the first digest, half after it: the next digest's candidates.
        var samples = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json")))!.AsArray();
        var (first, later) = (Path.Combine(_folder, "first.json"), Path.Combine(_folder, "later.json"));
        await File.WriteAllTextAsync(first, new JsonArray([.. samples.Take(15).Select(p => p!.DeepClone())]).ToJsonString());
        await File.WriteAllTextAsync(later, new JsonArray([.. samples.Skip(15).Select(p => p!.DeepClone())]).ToJsonString());
        _service = await PaperMailerService.StartAsync(_folder, [$"--Collect:Files:0={first}", "--Digest:MinimumGap=00:00:00"]);
        // A day behind UTC, so that moving the reader a day ahead later gives the next digest a date of its own.
        await CliAsync("subscribers", "add", Email, "--keywords", "agents, reasoning, image generation, LLM", "--timezone", "Etc/GMT+12", "--hour", "0");
        await CliAsync("digest");
        var lessLink = Regex.Match(LatestDigestText(), @"Less like this: (\S+)").Groups[1].Value;
        var disliked = Regex.Match(lessLink, @"paper=([\d.]+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(disliked), "the digest has no \"Less like this\" link");

        await CliAsync("collect", "--file", later);
        var wouldHaveBeen = PaperIds(await CliAsync("preview", "--subscriber", Email));
        Assert.True(wouldHaveBeen.Count >= 3, $"the next digest would have {wouldHaveBeen.Count} papers: too few to show an order");

        _browser = Browser.Start(1000, 1200, Path.Combine(_folder, "chromium-profile"));
        _browser.Navigate().GoToUrl(lessLink);
        Assert.Equal("Less like this?", _browser.FindElement(By.TagName("h1")).Text);
        Assert.Equal(wouldHaveBeen, PaperIds(await CliAsync("preview", "--subscriber", Email)));
        _browser.FindElement(By.CssSelector("form[action^='/rate'] button[type=submit]")).Click();
        await BrowserWait.UntilAsync(() => _browser.FindElement(By.TagName("h1")).Text == "Thank you: noted", "the noted page");

        _browser.FindElement(By.LinkText("See what your digests learned")).Click();
        await BrowserWait.UntilAsync(() => _browser.PageSource.Contains("What your ratings taught", StringComparison.Ordinal), "the preferences page");
        var body = _browser.FindElement(By.TagName("body")).Text;
        Assert.Contains("Less like:", body);
        var lowered = Regex.Match(body, "Words that lower a paper: (.+)").Groups[1].Value.Split(", ", StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lowered);

        await CliAsync("subscribers", "update", Email, "--timezone", "Pacific/Kiritimati");
        await CliAsync("digest");
        var next = PaperIds(LatestDigestText());

        Assert.DoesNotContain(disliked, next);
        Assert.Equal(wouldHaveBeen.Order(), next.Order());
        Assert.NotEqual(wouldHaveBeen, next);
        // What moved down shares the words the page says lower a paper.
        var movedDown = wouldHaveBeen.Where(id => next.IndexOf(id) > wouldHaveBeen.IndexOf(id)).ToList();
        var texts = samples.ToDictionary(p => (string)p!["paper"]!["id"]!, p => ((string?)p!["title"] + " " + (string?)p["paper"]!["summary"]).ToLowerInvariant());
        Assert.Contains(movedDown, id => lowered.Any(word => texts[id].Contains(word, StringComparison.Ordinal)));
    }

    private async Task<string> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync([.. args, .. _service!.Settings], output, output);
        Assert.True(code == 0, $"papermailer {string.Join(' ', args)} failed: {output}");
        return output.ToString();
    }

    private static List<string> PaperIds(string digestText) => Regex.Matches(digestText, @"arXiv:(\d{4}\.\d{5})").Select(m => m.Groups[1].Value).ToList();

    /// <summary>The text part of the newest email to the reader.</summary>
    private string LatestDigestText() => MimeKit.MimeMessage.Load(Directory.GetFiles(Path.Combine(_folder, "outbox"), "*.eml")
        .Where(f => File.ReadAllText(f).Contains($"To: {Email}", StringComparison.Ordinal)).OrderBy(File.GetLastWriteTimeUtc).Last()).TextBody ?? "";
}
