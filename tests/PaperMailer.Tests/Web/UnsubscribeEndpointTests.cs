using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli.Commands;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>The real `papermailer run` application on Kestrel at 127.0.0.1 (a free port), driven over HTTP.</summary>
public sealed class UnsubscribeEndpointTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private Subscriber _ann = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={_folder.File("papermailer.db")}",
            ["Templates:Directory"] = TestRepository.PathOf("templates"),
            ["Topics:File"] = TestRepository.PathOf("config", "topics.json"),
            ["Delivery:OutboxDirectory"] = _folder.File("outbox"),
            ["Web:SigningKeyFile"] = _folder.File("signing.key"),
            ["Web:PublicBaseUrl"] = "https://papers.example.org",
            ["Urls"] = "http://127.0.0.1:0",
        }).AddInMemoryCollection(OfflineSources.Settings).Build();
        _app = RunCommand.Build(configuration);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _ann = await _app.Services.GetRequiredService<ISubscriberStore>().AddAsync(new Subscriber { Email = "ann@example.org", Keywords = ["x"], CreatedAt = DateTimeOffset.UtcNow });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private string PathFor(long id) => new Uri(_app.Services.GetRequiredService<SubscriberLinks>().UnsubscribeUrl(id)).PathAndQuery;

    private async Task<SubscriberStatus> StatusAsync() => (await _app.Services.GetRequiredService<ISubscriberStore>().GetByIdAsync(_ann.Id))!.Status;

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
