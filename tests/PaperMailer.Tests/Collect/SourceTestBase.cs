using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>
/// The real service composition with every source's base URL pointed at a local recorded server, a manual clock
/// whose waits are recorded instead of slept, and a fresh database per test.
/// </summary>
public abstract class SourceTestBase : IAsyncLifetime
{
    protected RecordedServer Server { get; private set; } = null!;
    protected TestApp App { get; private set; } = null!;

    protected virtual DateTimeOffset Now => new(2026, 6, 12, 18, 0, 0, TimeSpan.Zero);

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Server = await RecordedServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Sources:HuggingFace:BaseUrl"] = Server.BaseUrl,
            ["Sources:Arxiv:BaseUrl"] = Server.BaseUrl,
            ["Sources:ArxivFeed:BaseUrl"] = Server.BaseUrl,
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        App = new TestApp(Now, settings);
        App.Clock.SkipDelays = true;
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Server.DisposeAsync();
    }

    protected Task<CollectResult> CollectAsync<TSource>(DateOnly? since = null) where TSource : IPaperSource =>
        App.Get<PaperCollector>().CollectOneAsync(App.Get<TSource>(), CancellationToken.None, since);

    protected async Task<IReadOnlyList<Paper>> StoredAsync() => await App.Get<IPaperStore>().ListAsync();

    protected Task<string?> WatermarkAsync(string source) => App.Get<ISourceWatermarks>().GetAsync(source);
}
