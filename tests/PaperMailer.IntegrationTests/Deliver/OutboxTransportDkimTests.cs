using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Cli;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>Outbox files are signed as the SMTP transport signs, and python3-dkim verifies them as written.</summary>
public sealed class OutboxTransportDkimTests : IDisposable
{
    private readonly DeliveryTestKit _kit = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-outbox-dkim-").FullName;

    public void Dispose()
    {
        _kit.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
    public async Task A_send_test_through_the_outbox_with_DKIM_settings_is_signed_and_verifies()
    {
        string outbox = Path.Combine(_folder, "outbox");
        var output = new StringWriter();
        int exit = await CliApp.RunAsync(
        [
            "send-test", "--to", "Zoë Operator <ops@example.org>",
            $"--Storage:ConnectionString=Data Source={Path.Combine(_folder, "papermailer.db")}",
            $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
            $"--Delivery:OutboxDirectory={outbox}",
            $"--Dkim:Domain={_kit.Dkim.Domain}", $"--Dkim:Selector={_kit.Dkim.Selector}", $"--Dkim:PrivateKeyFile={_kit.Dkim.PrivateKeyFile}",
        ], output, output);

        Assert.True(exit == 0, output.ToString());
        string file = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        await _kit.AssertDkimValidAsync([file]);
        ParsedEmail parsed = (await PythonEmail.ParseFilesAsync([file]))[0];
        Assert.Empty(parsed.Defects);
        Assert.StartsWith("[TEST] ", parsed.Header("Subject"));
    }
}
