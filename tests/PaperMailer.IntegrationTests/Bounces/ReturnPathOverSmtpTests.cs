using PaperMailer.Cli;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Bounces;

/// <summary>
/// The per-digest return path on the wire: with Bounces:Address set, a real SMTP server sees it as MAIL FROM (the
/// test server writes MAIL FROM as the Return-Path line it puts in front of each message), the message itself carries
/// no Return-Path header of ours, and From stays the digest's sender; without it, MAIL FROM is the From address.
/// </summary>
public sealed class ReturnPathOverSmtpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-it-").FullName;
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly TestStore _store;

    private static readonly string SamplesFile = Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json");

    public ReturnPathOverSmtpTests() => _store = TestStore.Create(_folder);

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(int Exit, string Output)> RunAsync(string[] settings, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. settings,
            .. _store.Arguments,
            $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
            "--Delivery:Transport=Smtp",
            "--Delivery:From=Paper digest <digest@papers.example.org>",
            $"--Smtp:Host={TestServers.Smtp.Host}",
            $"--Smtp:Port={TestServers.Smtp.Port}",
            "--Smtp:Security=None",
        ], output, output);
        return (exit, output.ToString());
    }

    [SmtpServerFact]
    public async Task With_a_bounce_address_each_digest_goes_out_with_its_own_signed_return_path_as_MAIL_FROM()
    {
        string[] settings = ["--Bounces:Address=bounces@papers.example.org"];
        Assert.Equal(0, (await RunAsync(settings, "collect", "--file", SamplesFile)).Exit);
        Assert.Equal(0, (await RunAsync(settings, "subscribers", "add", $"ada-{_run}@example.org", "--topics", "llm-agents")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "subscribers", "add", $"ben-{_run}@example.org", "--topics", "llm-agents")).Exit);

        var run = await RunAsync(settings, "digest");

        Assert.True(run.Exit == 0, run.Output);
        var ledger = await _store.Get<IDeliveryLedger>().ListAsync();
        var files = TestServers.Maildir.FilesContaining(_run);
        Assert.Equal(2, files.Count);
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var row = Assert.Single(ledger, d => lines.Contains($"To: {d.Email}"));
            Assert.Matches($@"^Return-Path: <bounces\+{row.Id}-[0-9a-f]{{16}}@papers\.example\.org>$", lines[0]);
            Assert.Single(lines, l => l.StartsWith("Return-Path:", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("From: Paper digest <digest@papers.example.org>", lines);
        }
    }

    [SmtpServerFact]
    public async Task Without_a_bounce_address_MAIL_FROM_is_the_From_address_as_before()
    {
        Assert.Equal(0, (await RunAsync([], "collect", "--file", SamplesFile)).Exit);
        Assert.Equal(0, (await RunAsync([], "subscribers", "add", $"cy-{_run}@example.org", "--topics", "llm-agents")).Exit);

        var run = await RunAsync([], "digest");

        Assert.True(run.Exit == 0, run.Output);
        var file = Assert.Single(TestServers.Maildir.FilesContaining(_run));
        var lines = File.ReadAllLines(file);
        Assert.Equal("Return-Path: <digest@papers.example.org>", lines[0]);
        Assert.Single(lines, l => l.StartsWith("Return-Path:", StringComparison.OrdinalIgnoreCase));
    }
}
