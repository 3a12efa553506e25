using System.Text.Json;
using PaperMailer.Cli;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>The commands operators and scripts use, run in-process against a temp database.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public CommandLineTests() => _store = TestStore.Create(_folder.Path);

    private string[] Settings =>
    [
        .. _store.Arguments,
        $"--Delivery:OutboxDirectory={_folder.File("outbox")}",
        $"--Web:SigningKeyFile={_folder.File("signing.key")}",
    ];

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. Settings], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Collect_twice_stores_every_paper_once_and_papers_list_json_shows_them()
    {
        var first = await RunAsync("collect", "--file", SamplePapers.FilePath);
        var second = await RunAsync("collect", "--file", SamplePapers.FilePath);
        var list = await RunAsync("papers", "list", "--json");

        Assert.Contains("30 new, 0 updated, 0 unchanged", first.Out);
        Assert.Contains("0 new, 0 updated, 30 unchanged", second.Out);
        var papers = JsonDocument.Parse(list.Out).RootElement;
        Assert.Equal(30, papers.GetArrayLength());
        var msa = papers.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "2606.13392");
        Assert.Equal(103, msa.GetProperty("upvotes").GetInt32());
        Assert.Equal("https://github.com/MiniMax-AI/MSA", msa.GetProperty("githubRepo").GetString());
        Assert.Equal("https://arxiv.org/pdf/2606.13392", msa.GetProperty("pdfUrl").GetString());
        Assert.True(msa.GetProperty("aiKeywords").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_malformed_papers_file_stores_nothing_and_names_file_and_position()
    {
        var broken = _folder.File("broken.json");
        var text = await File.ReadAllTextAsync(SamplePapers.FilePath);
        await File.WriteAllTextAsync(broken, text[..(text.Length / 2)]);

        var result = await RunAsync("collect", "--file", broken);
        var list = await RunAsync("papers", "list", "--json");

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{broken}: failed: {broken}: not valid JSON at line 1, byte", result.Out);
        Assert.Equal(0, JsonDocument.Parse(list.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Subscribers_add_validates_and_list_json_shows_email_and_status()
    {
        var added = await RunAsync("subscribers", "add", "ann@example.org", "--name", "Ann", "--topics", "llm-agents", "--keywords", "memory, tool use", "--timezone", "Europe/Berlin", "--hour", "7");
        var badEmail = await RunAsync("subscribers", "add", "not-an-email", "--keywords", "x");
        var badZone = await RunAsync("subscribers", "add", "bob@example.org", "--keywords", "x", "--timezone", "Mars/Olympus");
        var duplicate = await RunAsync("subscribers", "add", "ANN@example.org", "--keywords", "x");
        var list = await RunAsync("subscribers", "list", "--json");

        Assert.Equal(0, added.Exit);
        Assert.Equal(1, badEmail.Exit);
        Assert.Contains("Refused not-an-email: email: the email address needs a name, an @ and a domain.", badEmail.Error);
        Assert.Contains("timezone: \"Mars/Olympus\" is not an IANA time zone", badZone.Error);
        Assert.Contains("already exists", duplicate.Error);
        var only = Assert.Single(JsonDocument.Parse(list.Out).RootElement.EnumerateArray());
        Assert.Equal("ann@example.org", only.GetProperty("email").GetString());
        Assert.Equal("active", only.GetProperty("status").GetString());
        Assert.Equal(["memory", "tool use"], only.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
    }

    [Theory]
    [InlineData("cat:cs.LG", "Refused ann@example.org: keywords: boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic.")]
    [InlineData("memory, topic:astro", "Refused ann@example.org: keywords: \"topic:astro\" is not a known topic (known: ")]
    [InlineData("-survey", "Refused ann@example.org: keywords: the profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for.")]
    public async Task Subscribers_add_refuses_a_profile_that_can_never_match_in_one_sentence(string keywords, string sentence)
    {
        var refused = await RunAsync("subscribers", "add", "ann@example.org", "--keywords", keywords);
        var list = await RunAsync("subscribers", "list", "--json");

        Assert.Equal(1, refused.Exit);
        var line = Assert.Single(refused.Error.TrimEnd().Split(Environment.NewLine));
        Assert.StartsWith(sentence, line, StringComparison.Ordinal);
        Assert.EndsWith(".", line, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(list.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Trending_today_is_given_on_add_update_and_import_and_is_a_profile_on_its_own()
    {
        var refused = await RunAsync("subscribers", "add", "nobody@example.org");
        var trendingOnly = await RunAsync("subscribers", "add", "ann@example.org", "--trending");
        var profileOnly = await RunAsync("subscribers", "add", "bob@example.org", "--topics", "robotics");
        var turnedOn = await RunAsync("subscribers", "update", "bob@example.org", "--trending", "true");
        var csv = _folder.File("people.csv");
        await File.WriteAllTextAsync(csv, "email,topics,trending\ncho@example.org,,yes\ndee@example.org,robotics,no\n");
        var imported = await RunAsync("subscribers", "import", csv);
        var badCsv = _folder.File("bad.csv");
        await File.WriteAllTextAsync(badCsv, "email,trending\neve@example.org,maybe\n");
        var bad = await RunAsync("subscribers", "import", badCsv);
        var list = JsonDocument.Parse((await RunAsync("subscribers", "list", "--json")).Out).RootElement.EnumerateArray()
            .ToDictionary(s => s.GetProperty("email").GetString()!, s => s.GetProperty("trending").GetBoolean());

        Assert.Equal(1, refused.Exit);
        Assert.Contains("profile: pick at least one topic or keyword, or Trending today", refused.Error);
        Assert.Equal((0, 0, 0, 0), (trendingOnly.Exit, profileOnly.Exit, turnedOn.Exit, imported.Exit));
        Assert.Contains("trending today", turnedOn.Out);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("trending: \"maybe\" is not yes or no", bad.Error);
        Assert.Equal(new Dictionary<string, bool> { ["ann@example.org"] = true, ["bob@example.org"] = true, ["cho@example.org"] = true, ["dee@example.org"] = false }, list);
    }

    [Fact]
    public async Task Subscribers_remove_stops_all_further_digests()
    {
        await RunAsync("collect", "--file", SamplePapers.FilePath);
        await RunAsync("subscribers", "add", "ann@example.org", "--topics", "llm-agents");

        var removed = await RunAsync("subscribers", "remove", "ann@example.org");
        var digest = await RunAsync("digest");

        Assert.Equal(0, removed.Exit);
        Assert.Contains("Digest run: 0 sent", digest.Out);
        Assert.False(Directory.Exists(_folder.File("outbox")) && Directory.EnumerateFiles(_folder.File("outbox")).Any());
    }

    [Fact]
    public async Task Subscribers_import_is_all_or_nothing()
    {
        var bad = _folder.File("bad.csv");
        await File.WriteAllTextAsync(bad, "email,keywords,hour\nok@example.org,agents,7\nbroken,agents,7\n");
        var good = _folder.File("good.csv");
        await File.WriteAllTextAsync(good, "email,name,topics,keywords,exclude,timezone,hour\nok@example.org,Ok,llm-agents,memory;tool use,medical,Europe/Paris,6\n");

        var refused = await RunAsync("subscribers", "import", bad);
        var listAfterBad = await RunAsync("subscribers", "list", "--json");
        var imported = await RunAsync("subscribers", "import", good);

        Assert.Equal(1, refused.Exit);
        Assert.Contains($"{bad}:3: email:", refused.Error);
        Assert.Equal(0, JsonDocument.Parse(listAfterBad.Out).RootElement.GetArrayLength());
        Assert.Equal(0, imported.Exit);
        Assert.Contains("Imported: 1 added, 0 updated, 0 unchanged, 0 skipped, 0 problems.", imported.Out);
    }

    [Fact]
    public async Task Rank_json_prints_results_with_id_title_score_and_matched()
    {
        var result = await RunAsync("rank", "--papers", SamplePapers.FilePath, "--keywords", "sparse attention, speculative decoding", "--top", "3", "--json");

        Assert.Equal(0, result.Exit);
        var results = JsonDocument.Parse(result.Out).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.InRange(results.Count, 2, 3);
        Assert.Equal("2606.13392", results[0].GetProperty("id").GetString());
        Assert.Equal("MiniMax Sparse Attention", results[0].GetProperty("title").GetString());
        Assert.True(results[0].GetProperty("score").GetDouble() > 0);
        Assert.Contains("sparse attention", results[0].GetProperty("matched").EnumerateArray().Select(m => m.GetString()));
        var scores = results.Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Preview_writes_what_the_subscriber_would_get_and_records_nothing()
    {
        await RunAsync("collect", "--file", SamplePapers.FilePath);
        await RunAsync("subscribers", "add", "ann@example.org", "--topics", "llm-agents");

        var preview = await RunAsync("preview", "--subscriber", "ann@example.org", "--out", _folder.File("preview"));
        var ledger = await RunAsync("deliveries", "list", "--json");

        Assert.Equal(0, preview.Exit);
        Assert.Contains("WebChallenger", await File.ReadAllTextAsync(_folder.File("preview/digest.html")));
        Assert.StartsWith("Subject: WebChallenger and ", await File.ReadAllTextAsync(_folder.File("preview/digest.txt")));
        Assert.Equal(0, JsonDocument.Parse(ledger.Out).RootElement.GetArrayLength());
    }
}

public sealed class SubscriberCommandParityTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public SubscriberCommandParityTests() => _store = TestStore.Create(_folder.Path);

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(
        [
            .. args,
            .. _store.Arguments,
            $"--Delivery:OutboxDirectory={_folder.File("outbox")}",
            $"--Web:SigningKeyFile={_folder.File("signing.key")}",
        ], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Invite_sends_a_confirmation_and_leaves_the_address_pending()
    {
        var invite = await RunAsync("subscribers", "invite", "zoe@example.org", "--topics", "robotics", "--hour", "6", "--timezone", "Europe/Rome");
        var show = await RunAsync("subscribers", "show", "zoe@example.org", "--json");

        Assert.Equal(0, invite.Exit);
        var view = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal("pending", view.GetProperty("status").GetString());
        Assert.Equal("requested", view.GetProperty("consents")[0].GetProperty("kind").GetString());
        var email = Assert.Single(Directory.GetFiles(_folder.File("outbox"), "*.eml"));
        Assert.Contains("/confirm?token=3Dconfirm.", File.ReadAllText(email).Replace("=\r\n", ""));
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_and_can_pause()
    {
        await RunAsync("subscribers", "add", "ann@example.org", "--topics", "llm-agents", "--keywords", "memory", "--hour", "7");

        var update = await RunAsync("subscribers", "update", "ann@example.org", "--hour", "19", "--frequency", "paused");
        var bad = await RunAsync("subscribers", "update", "ann@example.org", "--frequency", "hourly");
        var view = JsonDocument.Parse((await RunAsync("subscribers", "show", "ann@example.org", "--json")).Out).RootElement;

        Assert.Equal(0, update.Exit);
        Assert.Equal(2, bad.Exit);
        Assert.Equal("paused", view.GetProperty("status").GetString());
        Assert.Equal(19, view.GetProperty("hour").GetInt32());
        Assert.Equal(["memory"], view.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["operator", "preferences"], view.GetProperty("consents").EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.StartsWith("http://localhost:5080/manage?token=manage.", view.GetProperty("manageUrl").GetString());
    }

    [Fact]
    public async Task Update_offers_feed_only_and_show_gives_the_feed_link()
    {
        await RunAsync("subscribers", "add", "ann@example.org", "--topics", "llm-agents");

        var update = await RunAsync("subscribers", "update", "ann@example.org", "--frequency", "feed-only");
        var view = JsonDocument.Parse((await RunAsync("subscribers", "show", "ann@example.org", "--json")).Out).RootElement;
        var text = await RunAsync("subscribers", "show", "ann@example.org");

        Assert.Equal(0, update.Exit);
        Assert.Contains("active, feed-only", update.Out);
        Assert.Equal(("active", "feed-only"), (view.GetProperty("status").GetString(), view.GetProperty("frequency").GetString()));
        Assert.Matches(@"^http://localhost:5080/feed\?token=feed\.\d+\.0\.", view.GetProperty("feedUrl").GetString());
        Assert.Contains($"feed: {view.GetProperty("feedUrl").GetString()}", text.Out);
    }

    [Fact]
    public async Task Digest_refuses_a_date_in_the_future_with_one_sentence_and_records_nothing()
    {
        await RunAsync("subscribers", "add", "ann@example.org", "--keywords", "agents");

        var future = await RunAsync("digest", "--date", "2999-01-01");
        var ledger = await RunAsync("deliveries", "list", "--json");

        Assert.Equal(2, future.Exit);
        Assert.StartsWith("--date 2999-01-01 is in the future", future.Error);
        Assert.Equal("[]", ledger.Out.Trim());
    }
    /// <summary>The service's help names the option operators need first: where its pages listen.</summary>
    [Fact]
    public async Task Run_help_shows_where_the_pages_listen_and_how_settings_are_given()
    {
        var help = await RunAsync("run", "--help");

        Assert.Equal(0, help.Exit);
        Assert.Contains("--urls <addresses>", help.Out);
        Assert.Contains("--Section:Key=value", help.Out);
    }
}
