using PaperMailer.Cli;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// A digest run killed with SIGKILL half-way (the real program in a child process, the test's store, the outbox),
/// then started again once its claims' lease has run out: the remaining subscribers get theirs, nobody gets two, and
/// what the killed run had written but not recorded is written again under the same Message-ID, at most one commit
/// group of it.
/// </summary>
public class CrashRecoveryTests
{
    private const int Subscribers = 60;
    private const int CommitGroupSize = 5;

    [Fact]
    public async Task A_run_killed_half_way_and_started_again_serves_everyone_exactly_once()
    {
        using var folder = new TempFolder();
        await using var store = await TestStore.CreateAsync(folder.Path);
        var outbox = folder.File("outbox");
        string[] settings =
        [
            .. store.Arguments,
            $"--Delivery:OutboxDirectory={outbox}",
            $"--Web:SigningKeyFile={folder.File("signing.key")}",
            $"--Templates:Directory={TestRepository.PathOf("templates")}",
            $"--Topics:File={TestRepository.PathOf("config", "topics.json")}",
            "--Delivery:Transport=Outbox",
            $"--Digest:CommitGroupSize={CommitGroupSize}",
        ];
        Assert.Equal(0, await CliApp.RunAsync(["collect", "--file", SamplePapers.FilePath, .. settings], TextWriter.Null, TextWriter.Null));
        await store.Get<ISubscriberStore>().AddManyAsync(Enumerable.Range(1, Subscribers).Select(i => new Subscriber
        {
            Email = $"reader{i:000}@example.org", Profile = new SubscriberProfile { Topics = ["llm-agents"] }, CreatedAt = DateTimeOffset.UtcNow,
        }).ToList());

        // Paced at 20 messages a second, the run needs about three seconds; it is killed after the first few.
        var killedAt = DateTimeOffset.UtcNow;
        using (var child = ChildProcess.StartPaperMailer(folder.Path, ["digest", .. settings, "--Delivery:MaxMessagesPerSecond=20"]))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (EmlFiles(outbox).Length < 8 && !child.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.False(child.HasExited, "the digest run finished before it could be killed");
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            killedAt = DateTimeOffset.UtcNow;
        }
        var ledger = store.Get<IDeliveryLedger>();
        var afterKill = await ledger.ListAsync();
        var recordedSent = afterKill.Where(d => d.Status == DeliveryStatus.Sent).Select(d => d.MessageId).ToHashSet();
        Assert.InRange(recordedSent.Count, 1, Subscribers - 1);
        Assert.Contains(afterKill, d => d.Status == DeliveryStatus.Sending);
        // Written to the outbox but not recorded as sent when the process died: the crash window.
        var recordedFiles = recordedSent.Select(OutboxFileName.For).ToHashSet();
        var unrecorded = EmlFiles(outbox).Select(Path.GetFileName).Where(f => !recordedFiles.Contains(f!)).ToList();
        Assert.InRange(unrecorded.Count, 0, CommitGroupSize);

        // Started again once the dead run's lease has run out (ten minutes by default).
        using var restarted = new TestApp(killedAt.AddMinutes(11), new Dictionary<string, string?>(store.Settings)
        {
            ["Delivery:OutboxDirectory"] = outbox,
            ["Web:SigningKeyFile"] = folder.File("signing.key"),
        }, useRealTransport: true);
        var recovery = await restarted.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);
        var again = await restarted.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: false), CancellationToken.None);

        Assert.Equal(Subscribers - recordedSent.Count, recovery.Count(DeliveryStatus.Sent));
        Assert.Equal(0, again.Total);
        var rows = await ledger.ListAsync();
        Assert.Equal(Subscribers, rows.Count);
        Assert.All(rows, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(Subscribers, rows.Select(d => d.MessageId).Distinct().Count());
        // One file per Message-ID: a digest caught between its write and its record was written again as the same message.
        var files = EmlFiles(outbox);
        Assert.Equal(Subscribers, files.Length);
        var recipients = files.Select(f => File.ReadLines(f).First(l => l.StartsWith("To: ", StringComparison.Ordinal))).ToList();
        Assert.Equal(Subscribers, recipients.Distinct().Count());
        Assert.All(rows, d => Assert.InRange(d.Attempts, 1, 2));
    }

    private static string[] EmlFiles(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
}
