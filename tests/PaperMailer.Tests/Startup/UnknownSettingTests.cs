using PaperMailer.Cli;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Startup;

/// <summary>A misspelled key used to be ignored without a word; the command still runs, with a warning.</summary>
public sealed class UnknownSettingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_misspelled_key_is_named_with_the_nearest_known_key()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CliApp.RunAsync(["papers", "list", "--Ranking:MinScre=2", $"--Storage:ConnectionString=Data Source={_folder.File("papermailer.db")}"], output, error);

        Assert.Equal(0, exit);
        Assert.Equal("Warning: Ranking:MinScre is not a setting and is ignored; did you mean Ranking:MinScore?", error.ToString().Trim());
    }
}
