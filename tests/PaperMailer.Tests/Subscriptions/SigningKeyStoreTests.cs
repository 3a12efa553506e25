using PaperMailer.Cli;
using PaperMailer.Subscriptions;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Subscriptions;

public sealed class SigningKeyStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public SigningKeyStoreTests() => _store = TestStore.Create(_folder.Path);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    /// <summary>
    /// Several processes starting together on a fresh installation: every one must sign with the key that was saved,
    /// and none may fail on another's half-made file. Threads race closer together than processes do.
    /// </summary>
    [Fact]
    public async Task Starts_at_the_same_time_all_use_the_one_saved_key()
    {
        for (var round = 0; round < 40; round++)
        {
            var options = new WebOptions { SigningKeyFile = _folder.File($"round{round}/signing.key") };
            using var start = new Barrier(6);
            var keys = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return Convert.ToBase64String(SigningKeyStore.Load(options));
            })));

            var saved = (await File.ReadAllTextAsync(options.SigningKeyFile)).Trim();
            Assert.All(keys, key => Assert.Equal(saved, key));
            Assert.Equal(["signing.key"], Directory.GetFiles(Path.GetDirectoryName(options.SigningKeyFile)!).Select(Path.GetFileName));
        }
    }

    private string[] Settings => [.. _store.Arguments, $"--Web:SigningKeyFile={_folder.File("signing.key")}"];

    /// <summary>Commands that only look never make the key (subscribers show and preview used to).</summary>
    [Theory]
    [InlineData("subscribers show ann@example.org", "links: none yet")]
    [InlineData("preview --subscriber ann@example.org", "")]
    [InlineData("subscribers list", "ann@example.org")]
    [InlineData("deliveries list", "")]
    public async Task A_command_that_only_reads_does_not_create_the_key(string command, string shown)
    {
        await CliApp.RunAsync(["collect", "--file", SamplePapers.FilePath, .. Settings], TextWriter.Null, TextWriter.Null);
        await CliApp.RunAsync(["subscribers", "add", "ann@example.org", "--topics", "llm-agents", .. Settings], TextWriter.Null, TextWriter.Null);
        var output = new StringWriter();

        var exit = await CliApp.RunAsync([.. command.Split(' '), .. Settings], output, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains(shown, output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("signing.key")));
    }

    [Fact]
    public async Task Subscribers_show_prints_the_links_once_a_key_exists()
    {
        await CliApp.RunAsync(["subscribers", "add", "ann@example.org", "--keywords", "agents", .. Settings], TextWriter.Null, TextWriter.Null);
        SigningKeyStore.Load(new WebOptions { SigningKeyFile = _folder.File("signing.key") });
        var output = new StringWriter();

        await CliApp.RunAsync(["subscribers", "show", "ann@example.org", .. Settings], output, TextWriter.Null);

        Assert.Contains("/manage?token=manage.", output.ToString(), StringComparison.Ordinal);
    }
}
