using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Cli;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>
/// Outbox files are signed as the SMTP transport signs, and python3-dkim verifies them as written, with the key
/// `papermailer dkim` tells the operator to publish.
/// </summary>
public sealed class OutboxTransportDkimTests : IDisposable
{
    private readonly DeliveryTestKit _kit = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-outbox-dkim-").FullName;
    private readonly TestStore _store;

    public OutboxTransportDkimTests() => _store = TestStore.Create(_folder);

    public void Dispose()
    {
        _kit.Dispose();
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [PythonEmailFact]
    public async Task Every_file_in_the_outbox_carries_a_signature_python3_dkim_verifies()
    {
        using var signer = new DkimMessageSigner(Options.Create(_kit.Dkim));
        var transport = new OutboxTransport(Options.Create(new DeliveryOptions { OutboxDirectory = _folder }), NullLogger<OutboxTransport>.Instance, signer);
        string abstracts = string.Concat(Enumerable.Repeat("大型语言模型的推理能力。Обучение с подкреплением.\n", 40));
        DeliveryTestKit.TestDigest[] digests = [.. Enumerable.Range(0, 6).Select(i => _kit.Digest(i)), _kit.Digest(6) with { Text = abstracts }];

        foreach (DeliveryTestKit.TestDigest digest in digests)
        {
            Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(digest.ToMessage(), CancellationToken.None)).Outcome);
        }

        string[] files = Directory.GetFiles(_folder, "*.eml");
        Assert.Equal(digests.Length, files.Length);
        await _kit.AssertDkimValidAsync(files);
    }

    [PythonEmailFact]
    public async Task A_send_test_is_signed_and_verifies_with_the_record_papermailer_dkim_prints()
    {
        string outbox = Path.Combine(_folder, "outbox");

        var sent = await RunAsync("send-test", "--to", "Zoë Operator <ops@example.org>", $"--Delivery:OutboxDirectory={outbox}");
        var dkim = await RunAsync("dkim");

        Assert.True(sent.Exit == 0, sent.Output);
        Assert.True(dkim.Exit == 0, dkim.Output);
        // "test._domainkey.papers.example.org. IN TXT ( "v=DKIM1; k=rsa; p=..." "..." )": the quoted strings, joined.
        string zoneLine = dkim.Output.Split('\n').Single(l => l.StartsWith("test._domainkey.papers.example.org. IN TXT (", StringComparison.Ordinal));
        string record = string.Concat(System.Text.RegularExpressions.Regex.Matches(zoneLine, "\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        string file = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        Assert.All(await PythonDkim.VerifyFilesAsync(record, [file]), v => Assert.True(v.Valid, v.Error));
        ParsedEmail parsed = (await PythonEmail.ParseFilesAsync([file]))[0];
        Assert.Empty(parsed.Defects);
        Assert.StartsWith("[TEST] ", parsed.Header("Subject"));
    }

    [Fact]
    public async Task Without_DKIM_settings_papermailer_dkim_says_which_to_set()
    {
        var output = new StringWriter();
        int exit = await CliApp.RunAsync(["dkim", .. _store.Arguments], output, output);

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Contains("DKIM is not configured: set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile", output.ToString());
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        int exit = await CliApp.RunAsync(
        [
            .. args,
            .. _store.Arguments,
            $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
            $"--Dkim:Domain={_kit.Dkim.Domain}", $"--Dkim:Selector={_kit.Dkim.Selector}", $"--Dkim:PrivateKeyFile={_kit.Dkim.PrivateKeyFile}",
        ], output, output);
        return (exit, output.ToString());
    }
}
