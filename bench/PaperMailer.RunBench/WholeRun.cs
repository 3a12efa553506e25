using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperMailer.Configuration;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Embed;
using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;

namespace PaperMailer.RunBench;

internal sealed record RunResult(int Sent, int NothingToSend, TimeSpan Elapsed, TimeSpan Cpu, DigestRunStages Stages, TimeSpan Import, long PeakWorkingSet)
{
    /// <summary>Bytes the run allocated (all threads): the garbage collector's work, and a figure the machine's load does not change.</summary>
    public long Allocated { get; init; }

    public double AllocatedKilobytesPerDigest => Allocated / 1024.0 / (Sent + NothingToSend);

    /// <summary>The managed heap still reachable after the run, after a full collection.</summary>
    public long LiveHeapAfter { get; init; }

    /// <summary>Digests decided per second: sent ones and "nothing to send" ones alike are work the run did.</summary>
    public double Rate => (Sent + NothingToSend) / Elapsed.TotalSeconds;

    /// <summary>This process's CPU per digest decided (all threads): what the run costs, less sensitive to a busy machine than its rate.</summary>
    public double CpuMicrosecondsPerDigest => Cpu.TotalMicroseconds / (Sent + NothingToSend);
}

/// <summary>One digest run on a fresh database in <c>folder</c>, set up outside the timing; only the run is timed.</summary>
internal static class WholeRun
{
    public static async Task<RunResult> RunAsync(RunSettings settings, BenchCorpus corpus, string folder, bool smtp)
    {
        Directory.CreateDirectory(folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "bench.db")}",
            ["Delivery:Transport"] = smtp ? "Smtp" : "Outbox",
            ["Delivery:OutboxDirectory"] = Path.Combine(folder, "outbox"),
            ["Delivery:From"] = "PaperMailer <digest@papers.example.org>",
            ["Smtp:Host"] = settings.Host ?? "127.0.0.1",
            ["Smtp:Port"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:MaxConnections"] = settings.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Web:SigningKeyFile"] = Path.Combine(folder, "signing.key"),
            ["Web:PublicBaseUrl"] = "https://papers.example.org",
            ["Templates:Directory"] = Path.GetFullPath("templates"),
            ["Topics:File"] = Path.GetFullPath(Path.Combine("config", "topics.json")),
            ["Ranking:Semantic"] = settings.Lexical ? "false" : "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error).AddSimpleConsole());
        services.AddPaperMailer(configuration);
        await using var provider = services.BuildServiceProvider();

        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        await provider.GetRequiredService<IPaperStore>().UpsertAsync(corpus.Papers, now.AddHours(-1));
        if (!settings.Lexical) await StoreVectorsAsync(provider, corpus, now);
        // The store call `papermailer subscribers import` makes, timed: importing must stay a matter of seconds.
        var people = Enumerable.Range(0, settings.Subscribers).Select(n => corpus.SubscriberFor(n, now)).ToList();
        var import = Stopwatch.StartNew();
        await provider.GetRequiredService<ISubscriberStore>().ImportAsync(people, []);
        import.Stop();
        people = null;
        if (settings.RatedEvery > 0) await RateAsync(provider, corpus, settings.RatedEvery, now);

        var run = provider.GetRequiredService<DigestRun>();
        var progress = new DigestRunProgress();
        // The run's own memory: what setting up the subscribers left behind is collected first, and the working set
        // is sampled while the run works (the process's lifetime peak would include the setup).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var sampling = new CancellationTokenSource();
        var peak = Task.Run(async () =>
        {
            long max = Environment.WorkingSet;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(sampling.Token)) max = Math.Max(max, Environment.WorkingSet);
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
            return Math.Max(max, Environment.WorkingSet);
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var report = await run.RunAsync(new DigestRunRequest(DueOnly: false), progress, CancellationToken.None);
        watch.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await sampling.CancelAsync();
        // What is still reachable once the run is over (the run's report included): tells retained memory apart
        // from garbage the collector had not yet collected.
        var live = GC.GetTotalMemory(forceFullCollection: true);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var sent = report.Count(DeliveryStatus.Sent);
        var nothing = report.Count(DeliveryStatus.NothingToSend);
        if (sent + nothing != settings.Subscribers)
        {
            var other = report.Lines.FirstOrDefault(l => l.Status is not (DeliveryStatus.Sent or DeliveryStatus.NothingToSend));
            throw new InvalidOperationException($"only {sent + nothing} of {settings.Subscribers} digests were decided ({report.Summary()}); e.g. {other?.Email}: {other?.Status} {other?.Reply}");
        }

        return new RunResult(sent, nothing, watch.Elapsed, cpu, progress.Stages, import.Elapsed, await peak) { LiveHeapAfter = live, Allocated = allocated };
    }

    /// <summary>How many papers a rating subscriber has rated: a few days of clicks, half "more like this".</summary>
    private const int RatingsEach = 6;

    /// <summary>
    /// Every <paramref name="every"/>-th subscriber rates <see cref="RatingsEach"/> of the papers (the same ones in
    /// every run), through the store call a click on a rating link makes.
    /// </summary>
    private static async Task RateAsync(IServiceProvider provider, BenchCorpus corpus, int every, DateTimeOffset now)
    {
        var ratings = provider.GetRequiredService<IRatingStore>();
        var subscribers = await provider.GetRequiredService<ISubscriberStore>().ListAsync();
        foreach (var subscriber in subscribers.Where(s => s.Id % every == 0))
        {
            var random = new Random((int)subscriber.Id);
            for (var i = 0; i < RatingsEach; i++)
            {
                var paper = corpus.Papers[random.Next(corpus.Papers.Count)];
                await ratings.RateAsync(new Rating(subscriber.Id, paper.Id, i % 2 == 0 ? Vote.More : Vote.Less, now.AddHours(-2)));
            }
        }
    }

    private static IReadOnlyList<PaperVector>? _vectors;

    /// <summary>
    /// The papers' vectors, as the collection that stored the papers leaves them: embedded by the product's own code the
    /// first time, copied into each later run's fresh database (embedding 400 papers takes seconds that no digest run
    /// spends).
    /// </summary>
    private static async Task StoreVectorsAsync(IServiceProvider provider, BenchCorpus corpus, DateTimeOffset now)
    {
        var store = provider.GetRequiredService<IPaperVectorStore>();
        var embedding = provider.GetRequiredService<StoredPaperVectors>();
        if (_vectors is not null)
        {
            await store.SaveAsync(embedding.Model, _vectors, now);
            return;
        }
        await embedding.EmbedMissingAsync(CancellationToken.None);
        var stored = await store.GetAsync(embedding.Model, corpus.Papers.Select(p => p.Id).ToList());
        if (stored.Count != corpus.Papers.Count) throw new InvalidOperationException($"only {stored.Count} of {corpus.Papers.Count} papers were embedded");
        _vectors = stored.Select(v => new PaperVector(v.Key, v.Value)).ToList();
    }
}
