using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli.Commands;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Support;

/// <summary>
/// The real `papermailer run` application (scheduler and web site) on Kestrel at 127.0.0.1 on a free port, in a temp
/// folder of its own: a fresh <see cref="TestStore"/>, outbox and signing key, the repository's templates and topics, network sources
/// off (tests never reach the internet), and a first digest check an hour away unless a test says otherwise.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private RunningService(TempFolder folder, TestStore store, WebApplication app, Uri address) => (Folder, Store, App, Address) = (folder, store, app, address);

    public TempFolder Folder { get; }
    public TestStore Store { get; }
    public WebApplication App { get; }
    public Uri Address { get; }
    public string OutboxDirectory => Folder.File("outbox");

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="settings">Overrides of the defaults above.</param>
    /// <param name="services">Replaces services (a manual clock, say).</param>
    /// <param name="beforeStart">Runs with the built application before it starts (to seed data).</param>
    public static async Task<RunningService> StartAsync(IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, Func<WebApplication, Task>? beforeStart = null)
    {
        var folder = new TempFolder();
        var store = await TestStore.CreateAsync(folder.Path);
        var values = new Dictionary<string, string?>(store.Settings)
        {
            ["Templates:Directory"] = TestRepository.PathOf("templates"),
            ["Topics:File"] = TestRepository.PathOf("config", "topics.json"),
            ["Delivery:OutboxDirectory"] = folder.File("outbox"),
            ["Web:SigningKeyFile"] = folder.File("signing.key"),
            ["Web:PublicBaseUrl"] = "https://papers.example.org",
            ["Schedule:FirstDigestCheckDelay"] = "01:00:00",
            ["Urls"] = "http://127.0.0.1:0",
            [LexicalRankingByDefault.Setting.Key] = LexicalRankingByDefault.Setting.Value,
        };
        foreach (var (key, value) in OfflineSources.Settings) values[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var app = RunCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), services);
        await app.Services.GetRequiredService<IStoreDatabase>().MigrateAsync(CancellationToken.None);
        if (beforeStart is not null) await beforeStart(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningService(folder, store, app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Store.DisposeAsync();
        Folder.Dispose();
    }
}
