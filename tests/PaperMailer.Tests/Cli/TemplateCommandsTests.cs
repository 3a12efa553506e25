using PaperMailer.Cli;
using PaperMailer.Tests.Render;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>templates check, send-test, and a digest run refusing broken templates, run in-process.</summary>
public sealed class TemplateCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    private string Templates => _folder.File("templates");

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args,
            .. _store.Arguments,
            $"--Delivery:OutboxDirectory={_folder.File("outbox")}",
            $"--Web:SigningKeyFile={_folder.File("signing.key")}",
            $"--Templates:Directory={Templates}"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public TemplateCommandsTests()
    {
        _store = TestStore.Create(_folder.Path);
        Directory.CreateDirectory(Templates);
        DigestRendererTests.CopyTemplates(Templates);
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Templates_check_passes_good_templates_and_lists_each_problem_as_file_line_column()
    {
        var good = await RunAsync("templates", "check");
        File.WriteAllText(Path.Combine(Templates, "partials", "html-paper.sbn"), "<tr>\n  <td>{{ if paper.title }}{{ paper.titel }}{{ end }}</td>\n</tr>\n");
        File.WriteAllText(Path.Combine(Templates, "digest.subject.sbn"), "{{ site_name }} {{ upper digest_date }}");
        var bad = await RunAsync("templates", "check");

        Assert.Equal(0, good.Exit);
        Assert.Contains("are fine", good.Out);
        Assert.Equal(1, bad.Exit);
        var lines = bad.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith($"{Templates}/digest.subject.sbn:1:20: The variable or function `upper` was not found", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Templates}/partials/html-paper.sbn:2:36: Cannot get member with name titel", StringComparison.Ordinal));
        Assert.Contains("2 problems", lines[^1]);
    }

    [Fact]
    public async Task Templates_check_also_covers_the_site_pages_and_the_confirmation_email()
    {
        File.WriteAllText(Path.Combine(Templates, "web", "message.sbn"), "{{ capture body }}\n<h1>{{ titel }}</h1>\n{{ end }}{{ include 'web/partials/page-layout.sbn' }}");
        File.WriteAllText(Path.Combine(Templates, "confirm.txt.sbn"), "Confirm: {{ confirm_url }}\n{{ include 'missing-footer.sbn' }}\n");

        var result = await RunAsync("templates", "check");

        Assert.Equal(1, result.Exit);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith($"{Templates}/web/message.sbn:2:8: The variable or function `titel` was not found", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Templates}/confirm.txt.sbn:2:4: ", StringComparison.Ordinal) && l.Contains("missing-footer"));
    }

    [Fact]
    public async Task Templates_check_on_a_folder_with_handlebars_templates_says_the_engine_changed()
    {
        File.WriteAllText(Path.Combine(Templates, "digest.html.hbs"), "{{#each papers}}{{title}}{{/each}}");
        File.WriteAllText(Path.Combine(Templates, "partials", "html-paper.hbs"), "{{title}}");

        var result = await RunAsync("templates", "check");

        Assert.Equal(1, result.Exit);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("now Scriban templates", lines[0]);
        Assert.Contains("digest.html.hbs, partials/html-paper.hbs", lines[0]);
        Assert.Contains("templates/README.md, section \"Moving from Handlebars\"", lines[0]);
    }

    [Fact]
    public async Task Templates_check_rejects_seven_nested_loops_over_the_papers()
    {
        var loops = string.Concat(Enumerable.Range(1, 7).Select(i => $"{{{{ for p{i} in papers }}}}")) + "{{ p7.title }}" + string.Concat(Enumerable.Repeat("{{ end }}", 7));
        File.WriteAllText(Path.Combine(Templates, "digest.txt.sbn"), "Papers:\n" + loops + "\n");

        var result = await RunAsync("templates", "check");

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{Templates}/digest.txt.sbn:2:", result.Error);
        Assert.Contains("(Templates:LoopLimit; nested loops count together)", result.Error);
    }

    [Fact]
    public async Task A_digest_run_with_broken_templates_sends_nothing_and_says_where()
    {
        File.WriteAllText(Path.Combine(Templates, "digest.txt.sbn"), "{{ for paper in papers }}\n{{ paper.title }}\n");

        var result = await RunAsync("digest");

        Assert.Equal(1, result.Exit);
        Assert.Contains("No digest was sent", result.Error);
        Assert.Contains("digest.txt.sbn:", result.Error);
        Assert.False(Directory.Exists(_folder.File("outbox")) && Directory.EnumerateFiles(_folder.File("outbox")).Any());
    }

    [PythonEmailFact]
    public async Task Send_test_sends_the_sample_digest_marked_as_a_test_through_the_configured_transport()
    {
        var result = await RunAsync("send-test", "--to", "Operator <ops@example.org>");

        Assert.Equal(0, result.Exit);
        var file = Assert.Single(Directory.GetFiles(_folder.File("outbox"), "*.eml"));
        var message = (await PaperMailer.Testing.PythonEmail.ParseFilesAsync([file]))[0];
        Assert.Equal("[TEST] Planning with Language Agents and 2 more papers · 22 Nov", message.Header("Subject"));
        Assert.Equal("ops@example.org", message.Single("To").Addresses![0].AddrSpec);
        // The sample's reader is made up: it is called the sample, not a subscriber's digest.
        Assert.StartsWith("the built-in sample digest", message.Header("X-PaperMailer-Test"));
        Assert.Contains("Sent a test (the built-in sample digest", result.Out);
        Assert.DoesNotContain("ada@example.org", result.Out);
        // A test inbox must not be able to unsubscribe anyone.
        Assert.Empty(message.All("List-Unsubscribe"));
    }

    [Fact]
    public async Task Send_test_refuses_an_unknown_subscriber_and_a_bad_address()
    {
        var unknown = await RunAsync("send-test", "--to", "ops@example.org", "--subscriber", "nobody@example.org");
        var bad = await RunAsync("send-test", "--to", "not an address");

        Assert.Equal(1, unknown.Exit);
        Assert.Contains("No subscriber has the address nobody@example.org.", unknown.Error);
        Assert.Equal(2, bad.Exit);
        Assert.False(Directory.Exists(_folder.File("outbox")) && Directory.EnumerateFiles(_folder.File("outbox")).Any());
    }
}
