using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli;
using PaperMailer.Collect;
using PaperMailer.Configuration;
using PaperMailer.Storage;
using PaperMailer.Subscriptions.Import;
using PaperMailer.Topics;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// A <see cref="DigestRunSite"/>'s papers and subscribers put in place from the test's own process, through the services
/// `papermailer collect --file` and `papermailer subscribers import` call, on the site's settings and database, with
/// the clock at the test's chosen time. A program start costs a second or more of CPU, and the digest-run tests set up
/// their installations with some twenty-five of them; what the tests are about (the `digest` and `run` processes, the
/// operator's changes between them) still runs as the program. <see cref="DigestRunAtScaleTests"/> sets up through
/// the program.
/// </summary>
internal static class InstallationSetup
{
    public static async Task CollectAsync(IReadOnlyList<string> settings, IEnumerable<string> files, DateTimeOffset? at)
    {
        using var services = Build(settings, at);
        var collector = services.GetRequiredService<PaperCollector>();
        // One source per file, in order, as the command takes them.
        foreach (var file in files)
        {
            var result = await collector.CollectOneAsync(new PaperFileSource(file), CancellationToken.None);
            Assert.False(result.Failed, $"collecting {file} failed: {result.Error}");
        }
    }

    public static async Task ImportSubscribersAsync(IReadOnlyList<string> settings, string file, DateTimeOffset? at)
    {
        using var services = Build(settings, at);
        var clock = services.GetRequiredService<TimeProvider>();
        var read = SubscriberImportReader.Read(file, services.GetRequiredService<ITopicCatalog>().All, clock);
        var importer = new SubscriberImporter(services.GetRequiredService<ISubscriberStore>(), services.GetRequiredService<IConsentLog>(), clock);
        var report = await importer.ImportAsync(read, ExistingAddresses.Refuse, progress: null, CancellationToken.None);
        Assert.True(report.Imported, $"importing {file}: {report.Summary()} {string.Join("; ", report.Problems.Select(p => $"line {p.Line}: {p.Text}"))}");
    }

    /// <summary>The services a command builds from the same settings (file, environment, arguments), on a clock at <paramref name="at"/>.</summary>
    private static ServiceProvider Build(IReadOnlyList<string> settings, DateTimeOffset? at)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPaperMailer(AppConfiguration.Build([.. settings]));
        if (at is { } now) services.AddSingleton<TimeProvider>(new FixedClock(now));
        return services.BuildServiceProvider();
    }

    /// <summary>A clock standing at one instant: setting up takes milliseconds, where a program at a fake time saw its clock advance a little.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
