using System.Net;
using System.Net.Sockets;
using PaperMailer.Cli;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Digest;

/// <summary>
/// The whole pipeline (the papermailer command line, in-process) delivering through a real SMTP server; what
/// arrived is read from the server's Maildir and parsed by Python's email package.
/// </summary>
public sealed class DigestOverSmtpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-it-").FullName;
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly TestStore _store;

    public DigestOverSmtpTests() => _store = TestStore.Create(_folder);

    private string[] Settings(int port) =>
    [
        .. _store.Arguments,
        $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
        "--Web:PublicBaseUrl=https://papers.example.org",
        "--Delivery:Transport=Smtp",
        "--Delivery:From=Paper digest <digest@papers.example.org>",
        $"--Smtp:Host={TestServers.Smtp.Host}",
        $"--Smtp:Port={port}",
        "--Smtp:Security=None",
        "--Smtp:MaxConnections=2",
        "--Smtp:Timeout=00:00:10",
    ];

    private static readonly string SamplesFile = Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json");

    private async Task<(int Exit, string Output)> RunAsync(int port, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. Settings(port)], output, output);
        return (exit, output.ToString());
    }

    private async Task SetUpAsync(int port)
    {
        Assert.Equal(0, (await RunAsync(port, "collect", "--file", SamplesFile)).Exit);
        Assert.Equal(0, (await RunAsync(port, "subscribers", "add", $"ada-{_run}@example.org", "--name", "Ada Lovelace", "--topics", "llm-agents")).Exit);
        Assert.Equal(0, (await RunAsync(port, "subscribers", "add", $"ben-{_run}@example.org", "--keywords", "image generation, diffusion")).Exit);
        Assert.Equal(0, (await RunAsync(port, "subscribers", "add", $"chen-{_run}@example.org", "--keywords", "reinforcement learning, simulator")).Exit);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [SmtpServerFact]
    public async Task Digests_arrive_once_each_with_both_parts_and_the_unsubscribe_headers()
    {
        var port = TestServers.Smtp.Port;
        await SetUpAsync(port);

        var first = await RunAsync(port, "digest");
        var second = await RunAsync(port, "digest");

        Assert.True(first.Exit == 0, first.Output);
        Assert.Contains("Digest run: 3 sent, 0 deferred, 0 failed", first.Output);
        Assert.Contains("Digest run: 0 sent", second.Output);
        var files = TestServers.Maildir.FilesContaining(_run);
        Assert.Equal(3, files.Count);
        var arrived = await PythonEmail.ParseFilesAsync(files);
        var ledger = await _store.Get<IDeliveryLedger>().ListAsync();
        foreach (var email in arrived)
        {
            Assert.Empty(email.Defects);
            Assert.Equal("multipart/alternative", email.ContentType);
            Assert.Equal(["text/plain", "text/html"], email.Parts.Select(p => p.ContentType));
            var row = Assert.Single(ledger, d => email.Header("To").Contains(d.Email, StringComparison.Ordinal));
            Assert.Equal(DeliveryStatus.Sent, row.Status);
            Assert.Equal(row.MessageId, email.RawHeader("Message-ID"));
            // The top paper's name, then how many more, then the day.
            Assert.Matches($@"^.+ (and {row.PaperIds.Count - 1} more papers?|· 1 new paper) · {row.DigestDate.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)}$", email.Header("Subject"));
            Assert.Equal("Paper digest <digest@papers.example.org>", email.Header("From"));
            Assert.Matches(@"^<https://papers\.example\.org/unsubscribe\?token=unsubscribe\.\d+\.0\.[\w-]+>$", email.Header("List-Unsubscribe"));
            Assert.Equal("List-Unsubscribe=One-Click", email.Header("List-Unsubscribe-Post"));
            var unsubscribe = email.Header("List-Unsubscribe").Trim('<', '>');
            Assert.Contains(unsubscribe, email.Parts[0].Content);
            Assert.Contains(unsubscribe, WebUtility.HtmlDecode(email.Parts[1].Content));
        }
        var ada = arrived.Single(e => e.Header("To").Contains("ada-", StringComparison.Ordinal));
        Assert.Equal($"Ada Lovelace <ada-{_run}@example.org>", ada.Header("To"));
        Assert.Contains("WebChallenger", ada.Parts[0].Content);
        Assert.Contains("WebChallenger", ada.Parts[1].Content);
    }

    [SmtpServerFact]
    public async Task An_unreachable_server_defers_every_digest_and_a_later_run_delivers_each_once()
    {
        var closedPort = ClosedPort();
        await SetUpAsync(closedPort);

        var down = await RunAsync(closedPort, "digest");
        // The server is back at once, but the deferred digests wait for their backoff unless the operator forces them.
        var waiting = await RunAsync(TestServers.Smtp.Port, "digest");
        var up = await RunAsync(TestServers.Smtp.Port, "digest", "--retry-now");
        var again = await RunAsync(TestServers.Smtp.Port, "digest");

        Assert.Equal(1, down.Exit);
        Assert.Contains("Digest run: 0 sent, 3 deferred, 0 failed", down.Output);
        Assert.Contains("Digest run: 0 sent, 0 deferred", waiting.Output);
        Assert.Contains("3 deferred until their retry time", waiting.Output);
        Assert.Equal(0, up.Exit);
        Assert.Contains("Digest run: 3 sent, 0 deferred", up.Output);
        Assert.Contains("Digest run: 0 sent, 0 deferred", again.Output);
        var ledger = await _store.Get<IDeliveryLedger>().ListAsync();
        Assert.All(ledger, d => { Assert.Equal(DeliveryStatus.Sent, d.Status); Assert.Equal(2, d.Attempts); });
        var arrived = await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(_run));
        Assert.Equal(3, arrived.Count);
        Assert.Equal(ledger.Select(d => d.MessageId).Order(), arrived.Select(a => a.RawHeader("Message-ID")).Order());
    }

    /// <summary>A local port nobody listens on: bound and released, so connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
