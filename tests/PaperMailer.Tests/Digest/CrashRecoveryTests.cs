using PaperMailer.Cli;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// A digest run killed with SIGKILL half-way, then started again: the remaining subscribers get theirs, nobody gets
/// two. Uses the real program in a child process, the real SQLite file and the outbox transport.
/// </summary>
public class CrashRecoveryTests
{
    private const int Subscribers = 60;

    [Fact]
    public async Task A_run_killed_half_way_and_started_again_serves_everyone_exactly_once()
    {
        using var folder = new TempFolder();
        var outbox = folder.File("outbox");
        string[] settings =
        [
            $"--Storage:ConnectionString=Data Source={folder.File("papermailer.db")}",
            $"--Delivery:OutboxDirectory={outbox}",
            $"--Web:SigningKeyFile={folder.File("signing.key")}",
            $"--Templates:Directory={TestRepository.PathOf("templates")}",
            $"--Topics:File={TestRepository.PathOf("config", "topics.json")}",
            "--Delivery:Transport=Outbox",
        ];
        Assert.Equal(0, await CliApp.RunAsync(["collect", "--file", SamplePapers.FilePath, .. settings], TextWriter.Null, TextWriter.Null));
        var database = new SqliteDatabase($"Data Source={folder.File("papermailer.db")}");
        var store = new SqliteSubscriberStore(database);
        await store.AddManyAsync(Enumerable.Range(1, Subscribers).Select(i => new Subscriber
        {
            Email = $"reader{i:000}@example.org", Topics = ["llm-agents"], CreatedAt = DateTimeOffset.UtcNow,
        }).ToList());

        // Paced at 20 messages a second, the run needs about three seconds; it is killed after the first few.
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
        }
        var ledger = new SqliteDeliveryLedger(database);
        var afterKill = await ledger.ListAsync();
        Assert.InRange(afterKill.Count(d => d.Status == DeliveryStatus.Sent), 8, Subscribers - 1);

        var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["digest", .. settings], output, output));
        Assert.Equal(0, await CliApp.RunAsync(["digest", .. settings], output, output));

        var rows = await ledger.ListAsync();
        Assert.Equal(Subscribers, rows.Count);
        Assert.All(rows, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(Subscribers, rows.Select(d => d.MessageId).Distinct().Count());
        var files = EmlFiles(outbox);
        Assert.Equal(Subscribers, files.Length);
        var recipients = files.Select(f => File.ReadLines(f).First(l => l.StartsWith("To: ", StringComparison.Ordinal))).ToList();
        Assert.Equal(Subscribers, recipients.Distinct().Count());
        // A digest caught mid-send by the kill was sent again as the same message, never as a second digest.
        Assert.All(rows, d => Assert.InRange(d.Attempts, 1, 2));
    }

    private static string[] EmlFiles(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
}
