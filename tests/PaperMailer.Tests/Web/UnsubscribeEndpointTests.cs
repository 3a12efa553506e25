using System.Net;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>The real `papermailer run` application on Kestrel at 127.0.0.1 (a free port), driven over HTTP.</summary>
public sealed class UnsubscribeEndpointTests : IAsyncLifetime
{
    private RunningService _service = null!;
    private HttpClient _http = null!;
    private Subscriber _ann = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        _http = new HttpClient { BaseAddress = _service.Address };
        _ann = await _service.Get<ISubscriberStore>().AddAsync(new Subscriber { Email = "ann@example.org", Profile = new SubscriberProfile { Keywords = ["x"] }, CreatedAt = DateTimeOffset.UtcNow });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
    }

    private string PathFor(long id) => new Uri(_service.Get<SubscriberLinks>().UnsubscribeUrl(id)).PathAndQuery;

    private async Task<SubscriberStatus> StatusAsync() => (await _service.Get<ISubscriberStore>().GetByIdAsync(_ann.Id))!.Status;

    [Fact]
    public async Task The_link_shows_a_single_button_and_changes_nothing_by_itself()
    {
        var response = await _http.GetAsync(PathFor(_ann.Id));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ann@example.org", page);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "<button"));
        Assert.Equal(SubscriberStatus.Active, await StatusAsync());
    }

    [Fact]
    public async Task The_one_click_post_unsubscribes_at_once()
    {
        var response = await _http.PostAsync(PathFor(_ann.Id), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, await StatusAsync());
        var again = await _http.PostAsync(PathFor(_ann.Id), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_forged_token_gets_a_clear_400_page_and_changes_nothing()
    {
        var forged = PathFor(_ann.Id).Replace($"unsubscribe.{_ann.Id}.0.", $"unsubscribe.{_ann.Id + 1}.0.", StringComparison.Ordinal);

        var get = await _http.GetAsync(forged);
        var post = await _http.PostAsync("/unsubscribe?token=unsubscribe.1.0.AAAA", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Contains("This link is not valid", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(SubscriberStatus.Active, await StatusAsync());
    }
}
