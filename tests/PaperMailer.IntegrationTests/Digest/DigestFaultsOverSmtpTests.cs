using System.Security.Cryptography;
using PaperMailer.Cli;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Digest;

/// <summary>
/// A digest run through PaperMailer's SMTP transport to a server that refuses, defers, throttles and drops some
/// recipients: each recipient's ledger row says exactly what happened, one bad recipient never stops the others,
/// an address that fails permanently is suppressed, and what was sent is DKIM-signed and verifies.
/// </summary>
public sealed class DigestFaultsOverSmtpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-it-").FullName;
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly RSA _key = RSA.Create(2048);
    private readonly TestStore _store;

    private static readonly string SamplesFile = Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json");

    public DigestFaultsOverSmtpTests()
    {
        _store = TestStore.Create(_folder);
        File.WriteAllText(KeyFile, _key.ExportPkcs8PrivateKeyPem());
    }

    private string KeyFile => Path.Combine(_folder, "dkim.pem");

    public void Dispose()
    {
        _key.Dispose();
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [SmtpServerFact]
    public async Task Every_recipient_gets_its_own_outcome_in_the_ledger_and_a_permanent_failure_suppresses_the_address()
    {
        Assert.Equal(0, (await RunAsync("collect", "--file", SamplesFile)).Exit);
        string[] prefixes = ["ok-", "reject-", "defer-", "throttle-", "drop-", "busy-"];
        foreach (string prefix in prefixes)
        {
            Assert.Equal(0, (await RunAsync("subscribers", "add", $"{prefix}{_run}@example.org", "--topics", "llm-agents")).Exit);
        }

        var run = await RunAsync("digest");

        Assert.Contains("Digest run: 1 sent, 4 deferred, 1 failed", run.Output);
        var ledger = (await _store.Get<IDeliveryLedger>().ListAsync()).ToDictionary(d => d.Email[..d.Email.IndexOf('-', StringComparison.Ordinal)]);
        Assert.Equal(DeliveryStatus.Sent, ledger["ok"].Status);
        Assert.StartsWith("250 2.0.0 Ok: saved as ", ledger["ok"].LastReply);
        Assert.Equal(DeliveryStatus.Failed, ledger["reject"].Status);
        Assert.Equal($"550 5.1.1 <reject-{_run}@example.org>: Recipient address rejected: test sink refuses reject-*; "
            + "address suppressed (subscriber now bounced) after 1 permanent failures (Delivery:SuppressAfterFailures=1)", ledger["reject"].LastReply);
        Assert.Equal($"450 4.2.1 <defer-{_run}@example.org>: Mailbox busy: test sink defers defer-*", ledger["defer"].LastReply);
        Assert.Equal("421 4.7.0 Too many messages, slow down: test sink throttles throttle-*", ledger["throttle"].LastReply);
        Assert.Equal("451 4.3.0 Try again later: test sink is busy for busy-*", ledger["busy"].LastReply);
        Assert.StartsWith("connection lost: ", ledger["drop"].LastReply);
        Assert.Equal((250, "2.0.0"), (ledger["ok"].LastStatusCode, ledger["ok"].LastEnhancedStatusCode));
        Assert.Equal((550, "5.1.1"), (ledger["reject"].LastStatusCode, ledger["reject"].LastEnhancedStatusCode));
        Assert.Equal((450, "4.2.1"), (ledger["defer"].LastStatusCode, ledger["defer"].LastEnhancedStatusCode));
        Assert.Equal((421, "4.7.0"), (ledger["throttle"].LastStatusCode, ledger["throttle"].LastEnhancedStatusCode));
        Assert.Equal((451, "4.3.0"), (ledger["busy"].LastStatusCode, ledger["busy"].LastEnhancedStatusCode));
        Assert.Equal(((int?)null, (string?)null), (ledger["drop"].LastStatusCode, ledger["drop"].LastEnhancedStatusCode));
        foreach (string deferred in new[] { "defer", "throttle", "busy", "drop" })
        {
            Assert.Equal(DeliveryStatus.Deferred, ledger[deferred].Status);
            Assert.Equal(1, ledger[deferred].Attempts);
            Assert.NotNull(ledger[deferred].NextAttemptAt);
        }

        var subscribers = await _store.Get<ISubscriberStore>().ListAsync();
        Assert.Equal(SubscriberStatus.Bounced, subscribers.Single(s => s.Email.StartsWith("reject-", StringComparison.Ordinal)).Status);
        Assert.All(subscribers.Where(s => !s.Email.StartsWith("reject-", StringComparison.Ordinal)), s => Assert.Equal(SubscriberStatus.Active, s.Status));

        // The ledger as operators read it: the codes beside the reply, in the text listing and in the JSON.
        var text = (await RunAsync("deliveries", "list")).Output.Split('\n');
        Assert.Contains(" smtp=550/5.1.1 550 5.1.1 <reject-", text.Single(l => l.Contains("reject-", StringComparison.Ordinal)));
        Assert.DoesNotContain("smtp=", text.Single(l => l.Contains("drop-", StringComparison.Ordinal)));
        var json = System.Text.Json.JsonDocument.Parse((await RunAsync("deliveries", "list", "--json")).Output).RootElement.EnumerateArray()
            .Single(d => d.GetProperty("email").GetString()!.StartsWith("busy-", StringComparison.Ordinal));
        Assert.Equal((451, "4.3.0"), (json.GetProperty("lastStatusCode").GetInt32(), json.GetProperty("lastEnhancedStatusCode").GetString()));

        var files = TestServers.Maildir.FilesContaining(_run);
        var arrived = Assert.Single(await PythonEmail.ParseFilesAsync(files));
        Assert.Empty(arrived.Defects);
        Assert.Equal(ledger["ok"].MessageId, arrived.RawHeader("Message-ID"));
        Assert.All(await PythonDkim.VerifyFilesAsync(DkimDnsRecord.Value(_key), files), v => Assert.True(v.Valid, v.Error));
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        string[] settings =
        [
            .. _store.Arguments,
            $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
            "--Web:PublicBaseUrl=https://papers.example.org",
            "--Delivery:Transport=Smtp",
            "--Delivery:From=Paper digest <digest@papers.example.org>",
            "--Delivery:SuppressAfterFailures=1",
            $"--Smtp:Host={TestServers.Smtp.Host}",
            $"--Smtp:Port={TestServers.Smtp.Port}",
            "--Smtp:Security=None",
            "--Smtp:MaxConnections=2",
            "--Smtp:Timeout=00:00:10",
            "--Dkim:Domain=papers.example.org",
            "--Dkim:Selector=test",
            $"--Dkim:PrivateKeyFile={KeyFile}",
        ];
        var exit = await CliApp.RunAsync([.. args, .. settings], output, output);
        return (exit, output.ToString());
    }
}
