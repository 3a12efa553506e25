using System.Net;
using System.ServiceModel.Syndication;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>
/// Web copies, the archive on the preferences page and the personal Atom feed, on the real `papermailer run`
/// application (Kestrel on 127.0.0.1, outbox delivery, a manual clock) with real digest runs in between.
/// </summary>
public sealed class DigestArchiveSiteTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private RunningService _service = null!;
    private SiteClient _site = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync(
            services: services => services.AddSingleton<TimeProvider>(_clock),
            beforeStart: app => app.Services.GetRequiredService<PaperCollector>().CollectOneAsync(new PaperFileSource(SamplePapers.FilePath), CancellationToken.None));
        _site = new SiteClient(_service.Address);
    }

    public async Task DisposeAsync()
    {
        _site.Dispose();
        await _service.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _service.Get<T>();

    private async Task<Subscriber> AddAsync(string email, DigestFrequency frequency = DigestFrequency.Daily, params string[] topics) =>
        await Get<ISubscriberStore>().AddAsync(new Subscriber
        {
            Email = email, Profile = new SubscriberProfile { Topics = topics.Length > 0 ? topics : ["llm-agents"] }, Frequency = frequency, CreatedAt = _clock.GetUtcNow(),
        });

    private async Task<DigestRunReport> RunDigestAsync()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        return await Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);
    }

    /// <summary>The next day, with papers first collected then that match the "llm-agents" topic.</summary>
    private async Task NextDayWithNewPapersAsync(params string[] titles)
    {
        _clock.Advance(TimeSpan.FromDays(1));
        var papers = titles.Select((title, i) => SamplePapers.Make($"2612.0{i + 1:0000}", title,
            "We study LLM agents that use tools and plan with memory; the web agent learns from tool feedback.") with { Authors = ["Jo Park"] }).ToList();
        await Get<IPaperStore>().UpsertAsync(papers, _clock.GetUtcNow());
    }

    /// <summary>The text part of each email to <paramref name="to"/> in the outbox, oldest first.</summary>
    private List<string> EmailsTo(string to) => (Directory.Exists(_service.OutboxDirectory)
            ? Directory.GetFiles(_service.OutboxDirectory, "*.eml").OrderBy(File.GetLastWriteTimeUtc).Select(f => MimeKit.MimeMessage.Load(f))
            : [])
        .Where(m => m.To.Mailboxes.Any(a => a.Address == to))
        .Select(m => m.TextBody ?? "")
        .ToList();

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static string LinkIn(string email, string kind)
    {
        var match = Regex.Match(email, $@"https://papers\.example\.org(/{kind}\?token=[\w.-]+)");
        Assert.True(match.Success, $"no {kind} link in the email");
        return match.Groups[1].Value;
    }

    private async Task<XDocument> FeedXmlAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = _service.Address };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The feed as a feed reader's parser reads it: .NET's Atom 1.0 formatter, which refuses anything but Atom.</summary>
    private async Task<SyndicationFeed> ParsedFeedAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = _service.Address };
        await using var stream = await http.GetStreamAsync(path);
        using var reader = XmlReader.Create(stream);
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "the feed is not an Atom 1.0 document");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    [Fact]
    public async Task The_view_in_browser_link_shows_the_digests_own_papers_from_the_ledger_even_after_the_profile_changed()
    {
        var ada = await AddAsync("ada@example.org");
        Assert.Equal(DeliveryStatus.Sent, (await RunDigestAsync()).Lines.Single().Status);
        var email = EmailsTo("ada@example.org").Single();
        var row = (await Get<IDeliveryLedger>().ListAsync()).Single();
        var link = LinkIn(email, "digest");
        Assert.Equal(PathOf(Get<SubscriberLinks>().DigestUrl(row.Id)), link);
        Assert.Contains($"View in browser: https://papers.example.org{link}", email);

        // Papers that would now rank first, and a profile that no longer matches the digest's papers at all.
        await NextDayWithNewPapersAsync("A Better Web Agent With Tool Memory");
        await Get<ISubscriberStore>().UpdateProfileAsync(ada with { Profile = new SubscriberProfile { Topics = ["robotics"], Keywords = ["quadruped locomotion"] } });
        var (status, page) = await _site.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, status);
        var papers = await Get<IPaperStore>().GetByIdsAsync(row.PaperIds);
        var shown = Regex.Matches(page, @"arXiv:(\d{4}\.\d{5})").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(row.PaperIds, shown);
        Assert.All(papers, p => Assert.Contains(p.Title, WebUtility.HtmlDecode(page), StringComparison.Ordinal));
        Assert.DoesNotContain("A Better Web Agent", page);
        // Why each paper was chosen is what the email said, not what today's profile would say.
        var emailReasons = Regex.Matches(email, @"Matched: ([^\r\n;]+?)(?:;| ·|\r?\n)").Select(m => m.Groups[1].Value.Trim()).ToList();
        var pageReasons = Regex.Matches(WebUtility.HtmlDecode(page), @"Matched <strong>([^<]+)</strong>").Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Equal(emailReasons, pageReasons);
        // The web copy is the digest's HTML, without a link to itself.
        Assert.DoesNotContain("View in browser", page);
        Assert.Contains("<!DOCTYPE html>", page);
    }

    [Fact]
    public async Task A_tampered_or_unknown_web_copy_or_feed_link_gets_the_404_page()
    {
        var ada = await AddAsync("ada@example.org");
        await RunDigestAsync();
        var links = Get<SubscriberLinks>();
        var good = PathOf(links.DigestUrl((await Get<IDeliveryLedger>().ListAsync()).Single().Id));
        var feed = PathOf(links.FeedUrl(ada.Id));

        string[] bad =
        [
            good[..^2] + (good[^2..] == "AA" ? "AB" : "AA"),                             // signature changed
            Regex.Replace(good, @"digest\.(\d+)\.", m => $"digest.{long.Parse(m.Groups[1].Value) + 1}."), // another digest's id, same signature
            PathOf(links.DigestUrl(987_654)),                                          // genuine, but no such digest
            "/digest?token=" + links.CreateToken(SubscriberLinks.ManagePurpose, ada.Id), // a manage token
            "/digest",
            feed.Replace("feed.", "manage.", StringComparison.Ordinal),
            PathOf(links.FeedUrl(987_654)),
            "/feed?token=" + links.CreateToken(SubscriberLinks.DigestPurpose, ada.Id),
        ];
        foreach (var path in bad)
        {
            var (status, page) = await _site.GetAsync(path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path}: {status}");
            Assert.Contains("There is nothing at this address", page);
        }
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(good)).Status);
    }

    [Fact]
    public async Task After_unsubscribing_the_web_copy_and_the_feed_say_the_subscription_has_ended()
    {
        var ada = await AddAsync("ada@example.org");
        await RunDigestAsync();
        var email = EmailsTo("ada@example.org").Single();
        var (webCopy, feed) = (LinkIn(email, "digest"), LinkIn(email, "feed"));
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(feed)).Status);

        await _site.PostAsync(LinkIn(email, "unsubscribe"), [new("List-Unsubscribe", "One-Click")]);

        foreach (var path in new[] { webCopy, feed })
        {
            var (status, page) = await _site.GetAsync(path);
            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Contains("This subscription has ended", page);
            Assert.Contains("ada@example.org unsubscribed", page);
        }
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Get<ISubscriberStore>().GetByIdAsync(ada.Id))!.Status);
    }

    [Fact]
    public async Task The_preferences_page_lists_past_digests_with_their_web_copies_and_the_feed_link()
    {
        var ada = await AddAsync("ada@example.org");
        var manage = PathOf(Get<SubscriberLinks>().ManageUrl(ada.Id));
        Assert.Contains("None yet", (await _site.GetAsync(manage)).Body);
        await RunDigestAsync();
        await NextDayWithNewPapersAsync("A Web Agent With Tool Memory", "Tool Feedback for LLM Agents");
        await RunDigestAsync();
        var rows = (await Get<IDeliveryLedger>().ListAsync()).OrderByDescending(r => r.DigestDate).ToList();
        Assert.Equal(2, rows.Count);

        var (status, html) = await _site.GetAsync(manage);
        var page = WebUtility.HtmlDecode(html);

        Assert.Equal(HttpStatusCode.OK, status);
        var listed = Regex.Matches(page, @"<li><a href=""https://papers\.example\.org(/digest\?token=[\w.-]+)"">([^<]+)</a> · (\d+) papers?").ToList();
        Assert.Equal(rows.Select(r => PathOf(Get<SubscriberLinks>().DigestUrl(r.Id))), listed.Select(m => m.Groups[1].Value));
        Assert.Equal(["Thu 3 Dec 2026", "Wed 2 Dec 2026"], listed.Select(m => m.Groups[2].Value));
        Assert.Equal(rows.Select(r => r.PaperIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), listed.Select(m => m.Groups[3].Value));
        Assert.Contains($"<a href=\"{Get<SubscriberLinks>().FeedUrl(ada.Id)}\">Atom feed</a>", page);
        foreach (var m in listed) Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(m.Groups[1].Value)).Status);
    }

    [Fact]
    public async Task The_feed_is_valid_atom_with_one_entry_per_paper_sent_newest_first_and_why_it_matched()
    {
        var ada = await AddAsync("ada@example.org");
        await RunDigestAsync();
        await NextDayWithNewPapersAsync("A Web Agent With Tool Memory", "Tool Feedback for LLM Agents");
        await RunDigestAsync();
        var rows = (await Get<IDeliveryLedger>().ListAsync()).OrderByDescending(r => r.DigestDate).ToList();
        var feedPath = LinkIn(EmailsTo("ada@example.org").Last(), "feed");
        Assert.Equal(PathOf(Get<SubscriberLinks>().FeedUrl(ada.Id)), feedPath);

        var feed = await ParsedFeedAsync(feedPath);

        Assert.False(string.IsNullOrEmpty(feed.Id));
        Assert.False(string.IsNullOrEmpty(feed.Title.Text));
        Assert.NotEqual(default, feed.LastUpdatedTime);
        Assert.NotEmpty(feed.Authors);
        var expected = rows.SelectMany(r => r.PaperIds.Select((id, i) => (Id: id, Row: r, Matched: r.PaperMatches![i]))).ToList();
        var entries = feed.Items.ToList();
        Assert.Equal(expected.Count, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (id, row, matched) = expected[i];
            var entry = entries[i];
            Assert.Contains(id, entry.Id, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(entry.Title.Text));
            Assert.Equal(row.SentAt!.Value.ToUnixTimeSeconds(), entry.LastUpdatedTime.ToUnixTimeSeconds());
            Assert.Contains(entry.Links, l => l.RelationshipType == "alternate" && l.Uri.AbsoluteUri.EndsWith(id, StringComparison.Ordinal));
            Assert.Contains(entry.Links, l => l.RelationshipType == "related" && l.Uri.AbsoluteUri == Get<SubscriberLinks>().DigestUrl(row.Id));
            Assert.StartsWith($"{PaperExplanation.DescribeRecorded(matched)}. ", ((TextSyndicationContent)entry.Summary).Text);
        }
        Assert.Equal(expected.Count, entries.Select(e => e.Id).Distinct().Count());
        // RFC 4287: every entry has an author, its own or the feed's; ids are the same on every read.
        var xml = await FeedXmlAsync(feedPath);
        Assert.NotNull(xml.Root!.Element(Atom + "author"));
        Assert.All(xml.Root.Elements(Atom + "entry"), e => Assert.NotNull(e.Element(Atom + "updated")));
        Assert.Equal(entries.Select(e => e.Id), (await ParsedFeedAsync(feedPath)).Items.Select(e => e.Id));
    }

    [Fact]
    public async Task A_feed_only_subscriber_gets_no_email_but_each_days_papers_in_their_feed_never_twice()
    {
        var ada = await AddAsync("ada@example.org");
        var manage = PathOf(Get<SubscriberLinks>().ManageUrl(ada.Id));
        var (saved, page) = await _site.SubmitAsync(manage, manage, [new("topics", "llm-agents"), new("hour", "8"), new("timezone", "UTC"), new("frequency", "feed-only")]);
        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Contains("feed only: no email", page);
        Assert.Equal(DigestFrequency.FeedOnly, (await Get<ISubscriberStore>().GetByIdAsync(ada.Id))!.Frequency);
        var bob = await AddAsync("bob@example.org");

        var first = await RunDigestAsync();
        await NextDayWithNewPapersAsync("A Web Agent With Tool Memory");
        var second = await RunDigestAsync();

        Assert.Empty(EmailsTo("ada@example.org"));
        Assert.Equal(2, EmailsTo("bob@example.org").Count);
        Assert.Equal((1, 1), (first.Count(DeliveryStatus.Sent), first.Count(DeliveryStatus.FeedOnly)));
        Assert.Contains("1 recorded for feeds only (no email)", second.Summary());
        var rows = (await Get<IDeliveryLedger>().ListAsync()).Where(r => r.SubscriberId == ada.Id).ToList();
        Assert.Equal([DeliveryStatus.FeedOnly, DeliveryStatus.FeedOnly], rows.Select(r => r.Status));
        Assert.All(rows, r => Assert.Null(r.SentAt));
        Assert.Empty(rows[0].PaperIds.Intersect(rows[1].PaperIds));
        // The operator status counts mail: the feed-only digests are not "sent".
        var runs = await Get<IDigestRunLog>().LatestAsync(10);
        Assert.Equal(2, runs.Sum(r => r.Sent));
        var feed = await ParsedFeedAsync(PathOf(Get<SubscriberLinks>().FeedUrl(ada.Id)));
        Assert.Equal(rows.Sum(r => r.PaperIds.Count), feed.Items.Count());
        Assert.Contains(feed.Items, e => e.Title.Text == "A Web Agent With Tool Memory");
        Assert.Equal(2, Regex.Count((await _site.GetAsync(manage)).Body, @"\(feed only\)"));
    }
}
