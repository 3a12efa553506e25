using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperMailer.Configuration;
using PaperMailer.Deliver;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Support;

/// <summary>
/// The real service composition (the same AddPaperMailer the program uses) on a fresh <see cref="TestStore"/> (a SQLite
/// file in a temp folder, or a throwaway PostgreSQL database when the suite is pointed there), with the repository's
/// templates and topics, a manual clock and, unless told otherwise, a recording transport.
/// </summary>
public sealed class TestApp : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ServiceProvider _services;
    private readonly TestStore? _store;

    /// <param name="configure">Changes to the composition after the defaults (a test's stand-in for one service).</param>
    /// <param name="settings">Overrides of the defaults; with Storage:ConnectionString (another app's <see cref="SharedFiles"/>) the app gets no store of its own.</param>
    /// <param name="storage">The store's provider; default <see cref="TestStorage.Default"/>. PostgreSQL gets a database of its own, dropped on dispose.</param>
    public TestApp(DateTimeOffset now, IDictionary<string, string?>? settings = null, bool useRealTransport = false, Action<IServiceCollection>? configure = null,
        StorageProvider? storage = null)
    {
        Clock = new ManualClock(now);
        if (settings?.ContainsKey("Storage:ConnectionString") != true) _store = TestStore.Create(_folder.Path, storage);
        var values = new Dictionary<string, string?>(_store?.Settings ?? new Dictionary<string, string?>())
        {
            ["Templates:Directory"] = TestRepository.PathOf("templates"),
            ["Topics:File"] = TestRepository.PathOf("config", "topics.json"),
            ["Delivery:OutboxDirectory"] = _folder.File("outbox"),
            ["Delivery:From"] = "PaperMailer <digest@papers.example.org>",
            ["Web:PublicBaseUrl"] = "https://papers.example.org",
            ["Web:SigningKeyFile"] = _folder.File("signing.key"),
            [LexicalRankingByDefault.Setting.Key] = LexicalRankingByDefault.Setting.Value,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        Storage = Configuration.GetValue<StorageProvider>("Storage:Provider");
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddPaperMailer(Configuration);
        services.AddSingleton<TimeProvider>(Clock);
        if (!useRealTransport) services.AddSingleton<IMailTransport>(Transport);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public ManualClock Clock { get; }
    public StorageProvider Storage { get; }
    public RecordingTransport Transport { get; } = new();
    public IConfiguration Configuration { get; }
    public string Folder => _folder.Path;
    public string OutboxDirectory => _folder.File("outbox");

    /// <summary>Settings that make another app use this one's database, outbox and signing key (a second process on the same files).</summary>
    public IDictionary<string, string?> SharedFiles() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Configuration["Storage:Provider"],
        ["Storage:ConnectionString"] = Configuration["Storage:ConnectionString"],
        ["Delivery:OutboxDirectory"] = OutboxDirectory,
        ["Web:SigningKeyFile"] = _folder.File("signing.key"),
    };

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<Subscriber> AddSubscriberAsync(string email, string[]? keywords = null, string[]? topics = null, string timeZone = "UTC", int hour = 0,
        string[]? exclude = null, DigestFrequency frequency = DigestFrequency.Daily, int maxPapers = 10, bool trending = false) =>
        await Get<ISubscriberStore>().AddAsync(new Subscriber
        {
            Email = email,
            Profile = new SubscriberProfile { Keywords = keywords ?? [], Topics = topics ?? [], Exclusions = exclude ?? [], Trending = trending },
            TimeZone = timeZone,
            DeliveryHour = hour,
            Frequency = frequency,
            MaxPapers = maxPapers,
            CreatedAt = Clock.GetUtcNow(),
        });

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store?.Dispose();
        _folder.Dispose();
    }
}
