using Microsoft.Data.Sqlite;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Startup;

/// <summary>
/// The built papermailer program, started as its own process in an empty folder as an operator would, with one bad
/// value each: one line on standard error naming the key, exit code 2, and nothing written — no database, no
/// outbox, no signing key, not even the data folder. The tests about SQLite's file (locked, not a database) and about
/// an unreachable PostgreSQL server choose their provider; the others use the store the suite is pointed at.
/// </summary>
[RunsForAbout(seconds: 20)]
public sealed class StartFailureTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    // On SQLite the file is where the program puts it by default (data/papermailer.db), so "not even the data folder" is checked too.
    public StartFailureTests() => _store = TestStore.Create(_folder.File("data"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    /// <summary>Runs papermailer in the empty folder on the test's store, handed over as environment variables so a bad value given the same way replaces them.</summary>
    private Task<(int Exit, string Out, string Error)> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(_store.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;
        return ChildProcess.RunPaperMailerAsync(_folder.Path, args, variables);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        // argument or environment variable, value, what the line must name
        { "--Smtp:Timeout", "-1", "Smtp:Timeout" },
        { "--Delivery:RetryBaseDelay", "0", "Delivery:RetryBaseDelay" },
        { "Web__SigningKey", "short", "Web:SigningKey" },
        { "Delivery__MaxMessagesPerSecond", "NaN", "Delivery:MaxMessagesPerSecond" },
        { "Storage__ConnectionString", "garbage=1", "Storage:ConnectionString" },
        { "--Smtp:Port", "seventy", "Smtp:Port" },
        { "--Delivery:Transport", "Carrier-Pigeon", "Delivery:Transport" },
        { "--Schedule:DigestCheckInterval", "00:00:00", "Schedule:DigestCheckInterval" },
        { "--Collect:Cron", "every hour", "Collect:Cron" },
        { "--Dkim:Domain", "example.org", "Dkim:PrivateKeyFile" },
        { "--Dkim:PrivateKeyFile", "missing.pem", "Dkim:Domain" },
        { "--Topics:File", "missing-topics.json", "Topics:File" },
        { "PAPERMAILER_CONFIG", "missing-settings.json", "PAPERMAILER_CONFIG" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_stops_the_digest_command_with_one_line_naming_it_and_writes_nothing(string setting, string value, string named)
    {
        var (exit, output, error) = setting.StartsWith("--", StringComparison.Ordinal)
            ? await RunAsync(["digest", $"{setting}={value}"])
            : await RunAsync(["digest"], new Dictionary<string, string?> { [setting] = value });

        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
        Assert.False(await _store.HasSchemaAsync(), "the store was migrated");
    }

    [Fact]
    public async Task Verbose_adds_where_the_failure_happened()
    {
        var (exit, _, error) = await RunAsync(["digest", "--verbose", "--Smtp:Timeout=-1"]);

        Assert.Equal(2, exit);
        Assert.StartsWith("Smtp:Timeout", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Another program holds the write lock (an open sqlite3 shell in a transaction). The start gives up after
    /// SqliteDatabase.StartBusyTimeout, not the 30 s later writes wait, and says so in one line.
    /// </summary>
    [Fact]
    public async Task A_database_locked_by_another_program_is_one_line_naming_it()
    {
        var file = _folder.File("papermailer.db");
        await new SqliteDatabase($"Data Source={file}").MigrateAsync();
        await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
        await holder.OpenAsync();
        await using (var exclusive = holder.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
        }

        var (exit, output, error) = await ChildProcess.RunPaperMailerAsync(_folder.Path, ["subscribers", "list", $"--Storage:ConnectionString=Data Source={file}"]);

        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"The database {file} (Storage:ConnectionString) is locked by another program (still after 3 s); close it or wait for it to finish, then start again.", line);
        Assert.Equal("", output);
    }

    /// <summary>Nothing listens on port 1: the start stops with one line naming where it looked, never the password.</summary>
    [Fact]
    public async Task An_unreachable_postgres_server_is_one_line_naming_its_host_and_port_but_not_the_password()
    {
        var (exit, output, error) = await ChildProcess.RunPaperMailerAsync(_folder.Path, ["subscribers", "list"], new Dictionary<string, string?>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=papermailer;Username=papermailer;Password=hunter2-secret;Timeout=5",
        });

        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("The PostgreSQL database at 127.0.0.1:1 (Storage:ConnectionString) cannot be reached; check that the server is running and accepts connections there.", line);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_one_line_naming_it()
    {
        var file = _folder.File("notes.txt");
        await File.WriteAllTextAsync(file, new string('x', 4096));

        var (exit, _, error) = await ChildProcess.RunPaperMailerAsync(_folder.Path, ["papers", "list", $"--Storage:ConnectionString=Data Source={file}"]);

        Assert.Equal(2, exit);
        Assert.Equal($"The database {file} (Storage:ConnectionString) is not a SQLite database.", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>A misspelled key used to be ignored without a word; the command still runs, with a warning.</summary>
    [Fact]
    public async Task A_misspelled_key_is_a_warning_naming_the_nearest_key_and_the_command_runs()
    {
        var (exit, output, error) = await RunAsync(["papers", "list", "--Ranking:MinScre=2"]);

        Assert.Equal(0, exit);
        Assert.Equal("Warning: Ranking:MinScre is not a setting and is ignored; did you mean Ranking:MinScore?", error.Trim());
        Assert.Equal("0 papers.", output.Trim());
    }
}
