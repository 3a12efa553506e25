using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperMailer.Configuration;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.RunBench;

internal sealed record RunResult(int Sent, int NothingToSend, TimeSpan Elapsed, TimeSpan Cpu, DigestRunStages Stages, TimeSpan Import, long PeakWorkingSet)
{
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
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error).AddSimpleConsole());
        services.AddPaperMailer(configuration);
        await using var provider = services.BuildServiceProvider();

        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        await provider.GetRequiredService<IPaperStore>().UpsertAsync(corpus.Papers, now.AddHours(-1));
        // The store call `papermailer subscribers import` makes, timed: importing must stay a matter of seconds.
        var people = Enumerable.Range(0, settings.Subscribers).Select(n => corpus.SubscriberFor(n, now)).ToList();
        var import = Stopwatch.StartNew();
        await provider.GetRequiredService<ISubscriberStore>().AddManyAsync(people);
        import.Stop();
        people = null;

        var run = provider.GetRequiredService<DigestRun>();
        var progress = new DigestRunProgress();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var report = await run.RunAsync(new DigestRunRequest(DueOnly: false), progress, CancellationToken.None);
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var sent = report.Count(DeliveryStatus.Sent);
        var nothing = report.Count(DeliveryStatus.NothingToSend);
        if (sent + nothing != settings.Subscribers)
        {
            var other = report.Lines.First(l => l.Status is not (DeliveryStatus.Sent or DeliveryStatus.NothingToSend));
            throw new InvalidOperationException($"only {sent + nothing} of {settings.Subscribers} digests were decided; e.g. {other.Email}: {other.Status} {other.Reply}");
        }

        using var self = Process.GetCurrentProcess();
        return new RunResult(sent, nothing, watch.Elapsed, cpu, progress.Stages, import.Elapsed, self.PeakWorkingSet64);
    }
}
