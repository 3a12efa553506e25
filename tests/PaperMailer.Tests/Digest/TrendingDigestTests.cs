using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Digest.Archive;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// "Trending today" against the recorded Hugging Face Daily Papers listing (samples/hf-daily-papers.json, 30 papers
/// with their real upvotes and comment counts): alone, beside a profile, and never a paper twice.
/// </summary>
public class TrendingDigestTests
{
    // Monday 16 November 2026, 10:00 UTC; the listing was collected two hours before.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 16);

    /// <summary>
    /// The listing's ten most upvoted papers, read off the recorded file: 118, 103, 74, 25, 18, 14, 13, 12, 10 and 8
    /// upvotes. Its listing order is different (2606.00467, with 0 upvotes, comes first).
    /// </summary>
    private static readonly string[] TopTen =
        ["2606.13681", "2606.13392", "2606.08063", "2606.13289", "2606.13106", "2606.12243", "2606.06113", "2606.12303", "2606.11662", "2606.11409"];

    private static async Task<TestApp> AppWithListingAsync(IDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(Morning, settings);
        await app.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        return app;
    }

    private static Task<DigestRunReport> RunAsync(TestApp app, bool retryNow = false) =>
        app.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false, RetryNow: retryNow), CancellationToken.None);

    private static async Task<DigestDelivery> TodayAsync(TestApp app, Subscriber s) => (await app.Get<IDeliveryLedger>().GetAsync(s.Id, Today))!;

    [Fact]
    public async Task A_trending_only_subscriber_gets_the_most_upvoted_papers_in_order()
    {
        using var app = await AppWithListingAsync();
        var s = await app.AddSubscriberAsync("trends@example.org", trending: true);

        await RunAsync(app);

        var digest = await TodayAsync(app, s);
        Assert.Equal(DeliveryStatus.Sent, digest.Status);
        Assert.Equal(TopTen, digest.PaperIds);
        Assert.Equal(10, digest.TrendingCount);
        var text = app.Transport.Sent.Single().TextBody!;
        Assert.Contains("TRENDING ON HUGGING FACE", text);
        Assert.Contains("118 upvotes", text);
        Assert.DoesNotContain("Matched:", text);
        // The papers appear in the email in upvote order, numbered on.
        var positions = TopTen.Select(id => text.IndexOf($"huggingface.co/papers/{id}", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task Equal_upvotes_are_ordered_by_comments_then_by_the_newest()
    {
        // Top 16: after 2606.12575 and 2606.09290 (7 upvotes, 3 and 2 comments) come 2606.09304 (6), then the two
        // with 5 and 4 upvotes; 4 upvotes twice with 2 comments each: 2606.13120 (11 June) before 2606.08788 (7 June).
        using var app = await AppWithListingAsync(new Dictionary<string, string?> { ["Digest:TrendingPapers"] = "16" });
        var s = await app.AddSubscriberAsync("trends@example.org", trending: true);

        await RunAsync(app);

        Assert.Equal([.. TopTen, "2606.12575", "2606.09290", "2606.09304", "2606.12730", "2606.13120", "2606.08788"], (await TodayAsync(app, s)).PaperIds);
    }

    [Fact]
    public async Task A_paper_already_sent_is_not_sent_again_as_trending()
    {
        using var app = await AppWithListingAsync();
        var s = await app.AddSubscriberAsync("trends@example.org", trending: true);
        var ledger = app.Get<IDeliveryLedger>();
        // Yesterday's digest already gave them the two most upvoted papers.
        var yesterday = (await ledger.CreateAsync(LedgerRows.Draft(s, new DateOnly(2026, 11, 15), Morning.AddHours(-21), TopTen[0], TopTen[1])))!;
        await ledger.RecordAsync(yesterday, DeliveryStatus.Sent, "250 ok", Morning.AddHours(-21));

        await RunAsync(app);

        var today = await TodayAsync(app, s);
        Assert.Equal(TopTen[2..], today.PaperIds.Take(8));
        Assert.Equal(10, today.PaperIds.Count);
        Assert.Empty(today.PaperIds.Intersect([TopTen[0], TopTen[1]]));
    }

    [Fact]
    public async Task A_profile_with_trending_gets_both_sections_and_no_paper_twice()
    {
        using var app = await AppWithListingAsync();
        var both = await app.AddSubscriberAsync("both@example.org", topics: ["llm-agents"], trending: true);
        var profileOnly = await app.AddSubscriberAsync("profile@example.org", topics: ["llm-agents"]);

        await RunAsync(app);

        var digest = await TodayAsync(app, both);
        var personal = (await TodayAsync(app, profileOnly)).PaperIds;
        Assert.NotEmpty(personal);
        // The personal section is what the profile alone gets; the trending section follows it.
        Assert.Equal(personal, digest.PaperIds.Take(personal.Count));
        Assert.Equal(10, digest.TrendingCount);
        Assert.Equal(personal.Count + 10, digest.PaperIds.Count);
        Assert.Equal(digest.PaperIds.Count, digest.PaperIds.Distinct().Count());
        var trending = digest.PaperIds.Skip(personal.Count).ToList();
        Assert.Equal(TopTen.Where(id => !personal.Contains(id)), trending.Take(TopTen.Count(id => !personal.Contains(id))));

        var text = app.Transport.Sent.Single(m => m.Recipient().Address == "both@example.org").TextBody!;
        var heading = text.IndexOf("TRENDING ON HUGGING FACE", StringComparison.Ordinal);
        Assert.True(heading > 0);
        Assert.All(personal, id => Assert.InRange(text.IndexOf(id, StringComparison.Ordinal), 0, heading));
        Assert.All(trending, id => Assert.True(text.IndexOf(id, StringComparison.Ordinal) > heading, $"{id} is after the Trending heading"));
        var html = app.Transport.Sent.Single(m => m.Recipient().Address == "both@example.org").HtmlBody!;
        Assert.Contains("Trending on Hugging Face</h2>", html);
    }

    [Fact]
    public async Task Trending_leaves_out_papers_the_profile_excludes()
    {
        using var app = await AppWithListingAsync();
        // 2606.13392 (103 upvotes) is MiniMax's sparse attention paper; "attention" rules it out.
        var s = await app.AddSubscriberAsync("trends@example.org", exclude: ["attention"], trending: true);

        await RunAsync(app);

        var ids = (await TodayAsync(app, s)).PaperIds;
        Assert.DoesNotContain("2606.13392", ids);
        Assert.DoesNotContain("2606.13289", ids);
        Assert.Equal(TopTen[0], ids[0]);
    }

    [Fact]
    public async Task A_retried_digest_keeps_its_trending_section_and_its_recorded_matches()
    {
        using var app = await AppWithListingAsync();
        var s = await app.AddSubscriberAsync("both@example.org", topics: ["llm-agents"], trending: true);
        app.Transport.Answer = _ => DeliveryResult.FromReply(DeliveryOutcome.Deferred, 451, "4.3.0 try later");
        await RunAsync(app);
        var first = await TodayAsync(app, s);
        Assert.Equal(DeliveryStatus.Deferred, first.Status);

        app.Transport.Answer = _ => DeliveryResult.FromReply(DeliveryOutcome.Sent, 250, "2.0.0 accepted");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(app, retryNow: true);

        var retried = await TodayAsync(app, s);
        Assert.Equal(DeliveryStatus.Sent, retried.Status);
        Assert.Equal(first.PaperIds, retried.PaperIds);
        var text = app.Transport.Sent.Last().TextBody!;
        var heading = text.IndexOf("TRENDING ON HUGGING FACE", StringComparison.Ordinal);
        Assert.True(heading > 0);
        Assert.All(first.PaperIds.TakeLast(first.TrendingCount), id => Assert.True(text.IndexOf(id, StringComparison.Ordinal) > heading));
        Assert.All(first.PaperIds.SkipLast(first.TrendingCount), id => Assert.InRange(text.IndexOf(id, StringComparison.Ordinal), 0, heading));
        // The terms each paper matched are kept with the digest, one list per paper (the trending ones included), and
        // the resent email says them as recorded.
        Assert.Equal(first.PaperIds.Count, first.PaperMatches!.Count);
        Assert.Equal(first.PaperMatches, retried.PaperMatches);
        var personal = first.PaperIds.Count - first.TrendingCount;
        Assert.All(first.PaperMatches.Take(personal), matched => Assert.NotEmpty(matched));
        Assert.All(first.PaperMatches.Take(personal), matched => Assert.Contains(PaperExplanation.DescribeRecorded(matched), text));
    }

    [Fact]
    public async Task The_web_copy_and_the_feed_of_a_digest_with_trending_show_both_sections()
    {
        using var app = await AppWithListingAsync();
        var s = await app.AddSubscriberAsync("both@example.org", topics: ["llm-agents"], trending: true);
        await RunAsync(app);
        var digest = await TodayAsync(app, s);
        var personal = digest.PaperIds.SkipLast(digest.TrendingCount).ToList();
        var trending = digest.PaperIds.TakeLast(digest.TrendingCount).ToList();
        Assert.NotEmpty(personal);
        Assert.NotEmpty(trending);

        var copy = await app.Get<DigestWebCopy>().RenderAsync(digest.Id, CancellationToken.None);

        Assert.Equal(WebCopyOutcome.Shown, copy.Outcome);
        var html = copy.Html!;
        var heading = html.IndexOf("Trending on Hugging Face</h2>", StringComparison.Ordinal);
        Assert.True(heading > 0);
        var positions = digest.PaperIds.Select(id => html.IndexOf($"arXiv:{id}<", StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.All(positions.Take(personal.Count), p => Assert.InRange(p, 0, heading));
        Assert.All(positions.Skip(personal.Count), p => Assert.True(p > heading));
        Assert.Contains($"Matched <strong>{string.Join(", ", digest.PaperMatches![0].Where(m => !m.StartsWith('\u0001')))}</strong>", html);

        var feed = await app.Get<SubscriberFeed>().BuildAsync(s, CancellationToken.None);

        Assert.Equal(digest.PaperIds, feed.Entries.Select(e => e.Id[(e.Id.LastIndexOf('/') + 1)..]));
        Assert.All(feed.Entries.Take(personal.Count).Zip(digest.PaperMatches), e => Assert.StartsWith(PaperExplanation.DescribeRecorded(e.Second) + ". ", e.First.Summary));
        Assert.All(feed.Entries.Skip(personal.Count), e => Assert.StartsWith("Trending today. ", e.Summary));
    }
}
