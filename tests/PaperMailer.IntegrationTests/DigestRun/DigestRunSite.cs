using System.Globalization;
using System.Text;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// One PaperMailer installation of a test's own: a folder and a <see cref="TestStore"/>, sending by SMTP to the test's
/// <see cref="RecordingSmtpServer"/>. Commands run as real `papermailer` processes; papers and subscribers are put in
/// place from the test's process (<see cref="InstallationSetup"/>) unless the site sets up through the program too.
/// Recipients carry the test's run id, so nothing here depends on what other tests send.
/// </summary>
public sealed class DigestRunSite : IAsyncDisposable
{
    public static readonly string SamplesFile = Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json");

    /// <summary>The next made-up arXiv number; sites of one test run never share one.</summary>
    private static int _nextPaper = Random.Shared.Next(10_000, 50_000);

    private readonly bool _setUpThroughProgram;

    private DigestRunSite(string folder, TestStore store, RecordingSmtpServer server, bool setUpThroughProgram)
    {
        Folder = folder;
        Store = store;
        Server = server;
        _setUpThroughProgram = setUpThroughProgram;
    }

    public string Folder { get; }
    public TestStore Store { get; }
    public RecordingSmtpServer Server { get; }

    /// <summary>Unique to this test run; part of every recipient's address.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..10];

    /// <summary>Settings every command gets; tests add their own after these (the last value of a key wins).</summary>
    public IReadOnlyList<string> Settings =>
    [
        .. Store.Arguments,
        $"--Web:SigningKeyFile={Path.Combine(Folder, "signing.key")}",
        "--Web:PublicBaseUrl=https://papers.example.org",
        "--Delivery:Transport=Smtp",
        "--Delivery:From=Paper digest <digest@papers.example.org>",
        "--Smtp:Host=127.0.0.1",
        $"--Smtp:Port={Server.Port}",
        "--Smtp:Security=None",
        "--Smtp:MaxConnections=4",
        "--Smtp:Timeout=00:00:20",
        // Every digest command first renders the sample digest against a time limit (2 s shipped). The digest-run tests
        // run beside one another, and on a machine busy with them that first rendering once took longer than 2 s of
        // wall-clock time; what these tests check does not depend on that limit.
        "--Templates:RenderTimeout=00:00:30",
        .. ExtraSettings,
    ];

    /// <summary>Settings of this test for every command (e.g. a short lease).</summary>
    public List<string> ExtraSettings { get; } = [];

    /// <param name="papers">The server notes the papers each message links to.</param>
    /// <param name="setUpThroughProgram">
    /// Collect papers and import subscribers with `papermailer collect --file` and `papermailer subscribers import`
    /// processes instead of from the test's process.
    /// </param>
    /// <param name="store">The database (a cluster's); default a <see cref="TestStore"/> of the site's own.</param>
    public static async Task<DigestRunSite> StartAsync(bool papers = false, bool setUpThroughProgram = false, TestStore? store = null)
    {
        var folder = Directory.CreateTempSubdirectory("papermailer-digestrun-").FullName;
        store ??= await TestStore.CreateAsync(folder);
        return new DigestRunSite(folder, store, await RecordingSmtpServer.StartAsync(folder, papers), setUpThroughProgram);
    }

    /// <summary>A `papermailer` command to its end; fails the test unless it exits with <paramref name="expectedExit"/> (null: any).</summary>
    /// <param name="timeout">How long before the command counts as hung (default three minutes).</param>
    public async Task<string> CliAsync(string[] args, DateTimeOffset? at = null, int? expectedExit = 0, TimeSpan? timeout = null)
    {
        var (exit, output) = await PaperMailerProcess.RunAsync(Folder, [.. args, .. Settings], at, timeout);
        if (expectedExit is { } expected) Assert.True(exit == expected, $"papermailer {string.Join(' ', args)} exited with {exit}, not {expected}:\n{output}");
        return output;
    }

    /// <summary>Starts a `papermailer` command and returns at once.</summary>
    public PaperMailerProcess Start(string[] args, DateTimeOffset? at = null) => PaperMailerProcess.Start(Folder, [.. args, .. Settings], at);

    /// <summary>Imports <paramref name="count"/> subscribers (ids in order), addresses spread over three domains; returns their addresses.</summary>
    public async Task<IReadOnlyList<string>> ImportSubscribersAsync(int count, string keywords = Keyword, string timezone = "UTC", int hour = 0,
        DateTimeOffset? at = null)
    {
        var csv = new StringBuilder("email,keywords,timezone,hour\n");
        var emails = Enumerable.Range(1, count).Select(i => $"r{i}-{Run}@d{i % 3}.example.org").ToList();
        foreach (var email in emails) csv.Append(CultureInfo.InvariantCulture, $"{email},{keywords},{timezone},{hour}\n");
        var file = Path.Combine(Folder, $"subscribers-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        await ImportAsync(file, at);
        return emails;
    }

    /// <summary>
    /// Imports one active subscriber to <see cref="Keyword"/> per (name, time zone, hour), addresses "NAME-RUN@example.org",
    /// up to 50 papers a digest; returns the addresses.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddSubscribersAsync(IEnumerable<(string Name, string TimeZone, int Hour)> people, DateTimeOffset? at = null)
    {
        var csv = new StringBuilder("email,keywords,timezone,hour,max_papers\n");
        var emails = new List<string>();
        foreach (var (name, timezone, hour) in people)
        {
            emails.Add($"{name}-{Run}@example.org");
            csv.Append(CultureInfo.InvariantCulture, $"{emails[^1]},{Keyword},{timezone},{hour},50\n");
        }
        var file = Path.Combine(Folder, $"subscribers-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        await ImportAsync(file, at);
        return emails;
    }

    /// <summary>The subject of the papers <see cref="CollectPapersAsync"/> makes: no sample paper mentions it.</summary>
    public const string Keyword = "quokka";

    /// <summary>
    /// Collects new papers, each about <see cref="Keyword"/> with words of its own (so none is a near-duplicate of another),
    /// at <paramref name="at"/>; returns their arXiv ids.
    /// </summary>
    /// <param name="withSamples">
    /// Collect the product's sample papers too, in the same step (mostly on other subjects: the background ranking's
    /// word statistics need).
    /// </param>
    public async Task<IReadOnlyList<string>> CollectPapersAsync(int count, DateTimeOffset? at = null, bool withSamples = false)
    {
        var ids = Enumerable.Range(0, count).Select(_ => $"2612.{Interlocked.Increment(ref _nextPaper):00000}").ToList();
        var papers = ids.Select(id => new
        {
            id,
            title = $"Quokka agents that {Words(id, 3)}",
            @abstract = $"We study quokka agents. {Words(id + "a", 12)}. Our quokka planners {Words(id + "b", 8)}.",
        });
        var file = Path.Combine(Folder, $"papers-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(papers));
        string[] files = withSamples ? [file, SamplesFile] : [file];
        if (_setUpThroughProgram) await CliAsync(["collect", "--file", .. files], at);
        else await InstallationSetup.CollectAsync(Settings, files, at);
        return ids;
    }

    private async Task ImportAsync(string file, DateTimeOffset? at)
    {
        if (_setUpThroughProgram) await CliAsync(["subscribers", "import", file], at);
        else await InstallationSetup.ImportSubscribersAsync(Settings, file, at);
    }

    public Task<IReadOnlyList<DigestDelivery>> LedgerAsync() => Store.Get<IDeliveryLedger>().ListAsync();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process the test killed may still be letting go of a file; the temporary folder is left behind.
        }
    }

    /// <summary>Made-up lowercase words derived from <paramref name="seed"/>, so every paper has vocabulary of its own.</summary>
    private static string Words(string seed, int count)
    {
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal));
        const string letters = "bcdfghjklmnprstvz";
        const string vowels = "aeiou";
        return string.Join(' ', Enumerable.Range(0, count).Select(_ =>
            string.Concat(Enumerable.Range(0, 3).Select(_ => $"{letters[random.Next(letters.Length)]}{vowels[random.Next(vowels.Length)]}"))));
    }
}
