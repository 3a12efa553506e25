using PaperMailer.Cli;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>
/// The README's first command, run as a newcomer would, with every email it writes read back by Python's email
/// package (an independent MIME parser).
/// </summary>
public class DemoEndToEndTests
{
    [PythonEmailFact]
    public async Task Demo_writes_one_well_formed_digest_per_sample_subscriber_each_after_its_own_profile()
    {
        using var folder = new TempFolder();
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(["demo", "--folder", folder.Path], output, output);

        Assert.True(exit == 0, output.ToString());
        var outbox = Path.Combine(folder.Path, "outbox");
        Assert.Contains(outbox, output.ToString());
        var files = Directory.GetFiles(outbox, "*.eml");
        Assert.Equal(3, files.Length);
        var emails = await PythonEmail.ParseFilesAsync(files);
        foreach (var email in emails)
        {
            Assert.Empty(email.Defects);
            Assert.Equal("multipart/alternative", email.ContentType);
            Assert.Equal(["text/plain", "text/html"], email.Parts.Select(p => p.ContentType));
            Assert.All(email.Parts, p => Assert.Empty(p.Defects));
            Assert.Matches(@"^.+ (and \d+ more papers?|· 1 new paper) · \d{1,2} [A-Z][a-z]{2}$", email.Header("Subject"));
            Assert.Matches(@"^<http://localhost:5080/unsubscribe\?token=unsubscribe\.\d+\.0\.[\w-]+>$", email.Header("List-Unsubscribe"));
            Assert.Equal("List-Unsubscribe=One-Click", email.Header("List-Unsubscribe-Post"));
            Assert.Matches(@"^<pm\.\d{8}\.\d+\.[0-9a-f]{12}@papermailer\.localhost>$", email.Header("Message-ID"));
            var unsubscribe = email.Header("List-Unsubscribe").Trim('<', '>');
            Assert.Contains(unsubscribe, email.Parts[0].Content);
            Assert.Contains(unsubscribe, System.Net.WebUtility.HtmlDecode(email.Parts[1].Content));
        }
        string Text(string to) => emails.Single(e => e.Header("To").Contains(to, StringComparison.Ordinal)).Parts[0].Content!;
        // Each profile finds its own papers: agents for Ada, image generation for Ben, RL and simulators for Chen.
        Assert.Contains("WebChallenger", Text("ada@example.org"));
        Assert.DoesNotContain("WebChallenger", Text("ben@example.org"));
        Assert.Contains("High-Fidelity Two-Step Image Generation", Text("ben@example.org"));
        Assert.Contains("MuJoCo-Drones-Gym", Text("chen@example.org"));
        Assert.DoesNotContain("MuJoCo-Drones-Gym", Text("ada@example.org"));
    }

    [Fact]
    public async Task Running_the_digest_again_on_the_demo_database_sends_nothing()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, await CliApp.RunAsync(["demo", "--folder", folder.Path], TextWriter.Null, TextWriter.Null));
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(
        [
            "digest",
            $"--Storage:ConnectionString=Data Source={Path.Combine(folder.Path, "papermailer.db")}",
            $"--Delivery:OutboxDirectory={Path.Combine(folder.Path, "outbox")}",
            $"--Web:SigningKeyFile={Path.Combine(folder.Path, "signing.key")}",
        ], output, output);

        Assert.Equal(0, exit);
        Assert.Contains("Digest run: 0 sent, 0 deferred, 0 failed, 0 with nothing to send.", output.ToString());
        Assert.Equal(3, Directory.GetFiles(Path.Combine(folder.Path, "outbox"), "*.eml").Length);
    }

    [Fact]
    public async Task A_bad_configuration_value_stops_the_program_with_the_key_and_allowed_values()
    {
        var error = new StringWriter();

        var exit = await CliApp.RunAsync(["digest", "--Delivery:Transport=Pigeon"], TextWriter.Null, error);

        Assert.Equal(2, exit);
        Assert.Contains("Delivery:Transport is \"Pigeon\", but the allowed values are Outbox, Smtp.", error.ToString());
    }
}
