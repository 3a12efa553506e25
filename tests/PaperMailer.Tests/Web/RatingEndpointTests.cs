using System.Net;
using System.Text.RegularExpressions;
using PaperMailer.Domain;
using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>
/// The "more like this" / "less like this" links on the real `papermailer run` application (Kestrel at 127.0.0.1),
/// and the manage page's list of what the ratings taught, with its reset.
/// </summary>
public sealed partial class RatingEndpointTests : IAsyncLifetime
{
    private const string PaperId = "2612.00042";
    private RunningService _service = null!;
    private SiteClient _site = null!;
    private Subscriber _ann = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        _site = new SiteClient(_service.Address);
        await _service.Get<IPaperStore>().UpsertAsync(
            [new Paper { Id = PaperId, Title = "Sparse attention for long documents", Abstract = "Sparse attention patterns let transformers read long documents.", Source = PaperSources.Arxiv }],
            DateTimeOffset.UtcNow);
        _ann = await _service.Get<ISubscriberStore>().AddAsync(new Subscriber { Email = "ann@example.org", Profile = new SubscriberProfile { Keywords = ["attention"] }, CreatedAt = DateTimeOffset.UtcNow });
    }

    public async Task DisposeAsync()
    {
        _site.Dispose();
        await _service.DisposeAsync();
    }

    private string Link(Vote vote, long? subscriber = null, string paper = PaperId) =>
        new Uri(_service.Get<SubscriberLinks>().RateUrl(subscriber ?? _ann.Id, paper, vote)).PathAndQuery;

    private async Task<IReadOnlyList<Rating>> RatingsAsync() =>
        (await _service.Get<IRatingStore>().GetAsync([_ann.Id], 10)).GetValueOrDefault(_ann.Id) ?? [];

    [Fact]
    public async Task Opening_a_link_as_a_mail_scanner_would_shows_a_confirmation_and_rates_nothing()
    {
        var (status, page) = await _site.GetAsync(Link(Vote.Less));
        await _site.GetAsync(Link(Vote.More));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Less like this?", page);
        Assert.Contains("Sparse attention for long documents", page);
        Assert.Single(Regex.Matches(page, "<button"));
        Assert.Empty(await RatingsAsync());
    }

    [Fact]
    public async Task The_confirmation_button_records_the_vote_and_a_second_vote_replaces_the_first()
    {
        var (_, page) = await _site.GetAsync(Link(Vote.More));
        var action = WebUtility.HtmlDecode(FormAction().Match(page).Groups["action"].Value);

        var (first, _) = await _site.PostAsync(action, []);
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal([(PaperId, Vote.More)], (await RatingsAsync()).Select(r => (r.PaperId, r.Vote)));

        var (second, done) = await _site.PostAsync(Link(Vote.Less), []);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Contains("less like this", done);
        Assert.Equal([(PaperId, Vote.Less)], (await RatingsAsync()).Select(r => (r.PaperId, r.Vote)));
    }

    [Fact]
    public async Task A_changed_link_gets_a_400_page_and_an_unknown_paper_or_subscriber_a_404_page_and_nothing_is_rated()
    {
        var turned = Link(Vote.More).Replace("vote=more", "vote=less", StringComparison.Ordinal);
        var otherSubscriber = Link(Vote.More).Replace($"subscriber={_ann.Id}&", $"subscriber={_ann.Id + 1}&", StringComparison.Ordinal);

        foreach (var changed in new[] { turned, otherSubscriber, Link(Vote.More)[..^3], "/rate" })
        {
            var (getStatus, page) = await _site.GetAsync(changed);
            var (postStatus, _) = await _site.PostAsync(changed, []);
            Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (getStatus, postStatus));
            Assert.Contains("This rating link is incomplete or was changed; use the link in your email as it is.", page);
        }
        var (unknownPaper, paperPage) = await _site.PostAsync(Link(Vote.More, paper: "2612.99999"), []);
        var (unknownSubscriber, _) = await _site.PostAsync(Link(Vote.More, subscriber: 999_999), []);

        Assert.Equal(HttpStatusCode.NotFound, unknownPaper);
        Assert.Contains("Paper 2612.99999 is not stored here, so it cannot be rated.", paperPage);
        Assert.Equal(HttpStatusCode.NotFound, unknownSubscriber);
        Assert.Empty(await RatingsAsync());
    }

    [Fact]
    public async Task The_manage_page_lists_what_was_learned_and_its_reset_forgets_the_ratings()
    {
        var manage = new Uri(_service.Get<SubscriberLinks>().ManageUrl(_ann.Id)).PathAndQuery;
        var (_, before) = await _site.GetAsync(manage);
        Assert.Contains("Nothing yet.", before);

        await _site.PostAsync(Link(Vote.Less), []);
        var (_, page) = await _site.GetAsync(manage);

        Assert.Contains("Less like:", page);
        Assert.Contains("<li>Sparse attention for long documents</li>", page);
        Assert.Contains("Words that lower a paper:", page);
        var (status, reset) = await _site.SubmitAsync(manage, "/manage/ratings/reset" + new Uri(_service.Address, manage).Query, []);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1 rating was forgotten", reset);
        Assert.Empty(await RatingsAsync());
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>/rate[^\"]+)\"")]
    private static partial Regex FormAction();
}
