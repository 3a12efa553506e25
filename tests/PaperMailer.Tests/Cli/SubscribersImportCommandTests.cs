using System.Text;
using PaperMailer.Cli;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>`papermailer subscribers import` keeping a list in sync: --update, --skip-existing and grouped problems.</summary>
public sealed class SubscribersImportCommandTests : IDisposable
{
    private const string Header = "email,name,topics,keywords,exclude,timezone,hour";
    private const string Ann = "ann@example.org,Ann,llm-agents,memory;tool use,medical,Europe/Paris,6";
    private const string Bob = "bob@example.org,Bob,,diffusion,,America/New_York,7";
    private const string Cleo = "cleo@example.org,Cleo,,graph neural networks,,Asia/Tokyo,8";

    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public SubscribersImportCommandTests() => _store = TestStore.Create(_folder.Path);

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. _store.Arguments, $"--Delivery:OutboxDirectory={_folder.File("outbox")}",
            $"--Web:SigningKeyFile={_folder.File("signing.key")}"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<string> FileAsync(string name, params string[] lines)
    {
        var path = _folder.File(name);
        await File.WriteAllTextAsync(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private async Task<Subscriber> SubscriberAsync(string email) =>
        (await _store.Get<ISubscriberStore>().GetByEmailAsync(email))!;

    private async Task<IReadOnlyList<ConsentRecord>> ConsentsAsync(string email) =>
        await _store.Get<IConsentLog>().ListAsync((await SubscriberAsync(email)).Id);

    /// <summary>Everything stored about a subscriber, comparable (the record's lists compare by reference).</summary>
    private static string Row(Subscriber s) =>
        $"{s.Id} {s.Email} {s.Name} {s.Status} {s.TimeZone} {s.DeliveryHour} {s.Frequency} {s.MaxPapers} {s.CreatedAt:O} {s.StatusChangedAt:O} "
        + $"[{string.Join(";", s.Profile.Topics)}] [{string.Join(";", s.Profile.Keywords)}] [{string.Join(";", s.Profile.Exclusions)}]";

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_same_file_twice_without_a_flag_reports_every_existing_address_in_one_grouped_line()
    {
        var file = await FileAsync("people.csv", Header, Ann, Bob, Cleo);
        await RunAsync("subscribers", "import", file);

        var again = await RunAsync("subscribers", "import", file);

        Assert.Equal(1, again.Exit);
        Assert.Equal(
            [
                $"{file}: email: the address is already a subscriber (--update gives it this file's profile, --skip-existing leaves it as it is) — 3 lines: 2, 3, 4",
                "Nothing imported: 0 added, 0 updated, 0 unchanged, 0 skipped, 3 problems.",
            ],
            again.Error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task Update_changes_only_what_differs_keeps_fields_the_file_leaves_out_and_logs_each_change()
    {
        var first = await RunAsync("subscribers", "import", await FileAsync("people.csv", Header, Ann, Bob, Cleo));
        // No timezone column this time, Bob moves to 9 o'clock, Dan is new.
        var second = await FileAsync("people-later.csv",
            "email,name,topics,keywords,exclude,hour",
            "ann@example.org,Ann,llm-agents,memory;tool use,medical,6",
            "bob@example.org,Bob,,diffusion,,9",
            "cleo@example.org,Cleo,,graph neural networks,,8",
            "dan@example.org,Dan,,retrieval,,10");

        var updated = await RunAsync("subscribers", "import", second, "--update");
        var repeated = await RunAsync("subscribers", "import", second, "--update");

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, updated.Exit);
        Assert.Contains("Imported: 1 added, 1 updated, 2 unchanged, 0 skipped, 0 problems.", updated.Out);
        Assert.Contains("Imported: 0 added, 0 updated, 4 unchanged, 0 skipped, 0 problems.", repeated.Out);
        var bob = await SubscriberAsync("bob@example.org");
        Assert.Equal(9, bob.DeliveryHour);
        Assert.Equal("America/New_York", bob.TimeZone);
        Assert.Equal("Europe/Paris", (await SubscriberAsync("ann@example.org")).TimeZone);
        Assert.Equal(10, (await SubscriberAsync("dan@example.org")).DeliveryHour);
        var change = Assert.Single(await ConsentsAsync("bob@example.org"), c => c.Kind == ConsentKinds.PreferencesChanged);
        Assert.Equal("cli", change.Ip);
        Assert.Contains("import", change.Details);
        Assert.DoesNotContain(await ConsentsAsync("ann@example.org"), c => c.Kind == ConsentKinds.PreferencesChanged);
    }

    [Fact]
    public async Task Skip_existing_adds_the_new_addresses_and_leaves_existing_rows_untouched()
    {
        await RunAsync("subscribers", "import", await FileAsync("people.csv", Header, Ann, Bob));
        var before = await SubscriberAsync("bob@example.org");

        var result = await RunAsync("subscribers", "import", await FileAsync("later.csv", Header,
            "ann@example.org,Annie,,diffusion,,UTC,12", "bob@example.org,Robert,,retrieval,,UTC,13", Cleo), "--skip-existing");

        Assert.Equal(0, result.Exit);
        Assert.Contains("Imported: 1 added, 0 updated, 0 unchanged, 2 skipped, 0 problems.", result.Out);
        Assert.Equal(Row(before), Row(await SubscriberAsync("bob@example.org")));
        Assert.Equal("Ann", (await SubscriberAsync("ann@example.org")).Name);
        Assert.Equal("Cleo", (await SubscriberAsync("cleo@example.org")).Name);
    }

    [Fact]
    public async Task Update_does_not_resubscribe_an_unsubscribed_address_and_says_so()
    {
        await RunAsync("subscribers", "import", await FileAsync("people.csv", Header, Ann, Bob));
        await RunAsync("subscribers", "remove", "ann@example.org");
        var left = await SubscriberAsync("ann@example.org");

        var result = await RunAsync("subscribers", "import", await FileAsync("later.csv", Header,
            "ann@example.org,Ann,,diffusion,,UTC,12", Bob), "--update");

        Assert.Equal(0, result.Exit);
        Assert.Contains("Not resubscribed (unsubscribed or bounced; an import is not their consent, so they stay as they are until they subscribe again): 1 — ann@example.org", result.Out);
        Assert.Contains("Imported: 0 added, 0 updated, 1 unchanged, 1 skipped (1 unsubscribed or bounced, not resubscribed), 0 problems.", result.Out);
        Assert.Equal(Row(left), Row(await SubscriberAsync("ann@example.org")));
        Assert.Equal(SubscriberStatus.Unsubscribed, left.Status);
    }

    [Fact]
    public async Task Rows_whose_profile_can_never_match_are_named_with_the_reason_and_nothing_is_imported()
    {
        var file = _folder.File("people.csv");
        await File.WriteAllTextAsync(file, Header + "\n"
            + "ann@example.org,,,memory,,UTC,8\n"
            + "bob@example.org,,,cat:cs.LG;author:Levine,,UTC,8\n"
            + "cho@example.org,,,topic:astro,,UTC,8\n"
            + "dee@example.org,,,-survey,,UTC,8\n");

        var result = await RunAsync("subscribers", "import", file);

        Assert.Equal(1, result.Exit);
        var lines = result.Error.TrimEnd().Split(Environment.NewLine);
        Assert.Equal($"{file}:3: keywords: boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic", lines[0]);
        Assert.StartsWith($"{file}:4: keywords: \"topic:astro\" is not a known topic (known: ", lines[1]);
        Assert.Equal($"{file}:5: keywords: the profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for", lines[2]);
        Assert.StartsWith("Nothing imported", lines[^1]);
        Assert.Empty(await _store.Get<ISubscriberStore>().ListAsync());
    }

    [Fact]
    public async Task Six_thousand_rows_with_the_same_unknown_topic_give_one_grouped_line_and_a_summary()
    {
        var text = new StringBuilder(Header + "\n");
        for (var i = 0; i < 6_000; i++) text.Append($"reader{i}@example.org,,robotix,,,UTC,8\n");
        var file = _folder.File("big.csv");
        await File.WriteAllTextAsync(file, text.ToString());

        var result = await RunAsync("subscribers", "import", file);

        Assert.Equal(1, result.Exit);
        var lines = result.Error.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{file}: topics: \"robotix\" is not a known topic (known: ", lines[0]);
        Assert.EndsWith(") — 6,000 lines: 2, 3, 4, 5, 6, … (first 5 shown)", lines[0]);
        Assert.Equal("Nothing imported: 0 added, 0 updated, 0 unchanged, 0 skipped, 6,000 problems.", lines[1]);
        Assert.Empty(await _store.Get<ISubscriberStore>().ListAsync());
    }

    [Fact]
    public async Task Update_and_skip_existing_together_are_a_usage_error()
    {
        var file = await FileAsync("people.csv", Header, Ann);

        var result = await RunAsync("subscribers", "import", file, "--update", "--skip-existing");

        Assert.Equal(2, result.Exit);
        Assert.Contains("--update and --skip-existing cannot be given together", result.Error);
        Assert.Null(await _store.Get<ISubscriberStore>().GetByEmailAsync("ann@example.org"));
    }
}
