using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

/// <summary>An operator's template cannot hurt the service: escaping rules, the sandbox, the limits, the fallback.</summary>
public sealed class TemplateSandboxTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public TemplateSandboxTests() => DigestRendererTests.CopyTemplates(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private TemplateLibrary Library(Action<TemplateOptions>? configure = null)
    {
        var options = new TemplateOptions { Directory = _folder.Path };
        configure?.Invoke(options);
        return new TemplateLibrary(Options.Create(options));
    }

    /// <summary>The first problem the check finds with <paramref name="text"/> as the digest's text part.</summary>
    private string ProblemWithText(string text, Action<TemplateOptions>? configure = null)
    {
        File.WriteAllText(Path.Combine(_folder.Path, "digest.txt.sbn"), text);
        return Library(configure).Check().FirstOrDefault()?.ToString() ?? "no problem";
    }

    [Fact]
    public void Html_values_are_escaped_once_after_pipes_and_trusted_html_passes_as_it_is()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "partials", "note.sbn"), "<i>{{ subscriber.name }}</i>");
        File.WriteAllText(Path.Combine(_folder.Path, "digest.html.sbn"), string.Join("\n",
            "A:{{ subscriber.name | string.truncate 80 }}",
            "B:{{ subscriber.name | html.escape }}",
            "C:{{ subscriber.name | raw }}",
            "D:{{ include 'partials/note.sbn' }}",
            "E:{{ '<b>' + subscriber.name }}",
            "F:{{ capture x }}<u>{{ subscriber.name }}</u>{{ end }}{{ x }}",
            "G:{{ for paper in papers limit:1 }}{{ paper.excerpt | highlight paper.matched }}{{ end }}"));
        var renderer = new DigestRenderer(Library());

        var html = renderer.Render(SampleDigest.Content() with { Subscriber = SampleDigest.Subscriber with { Name = "<Ada & \"Bob\">" } }).Html;

        var lines = html.Split('\n');
        Assert.Equal("A:&lt;Ada &amp; &quot;Bob&quot;&gt;", lines[0]);
        Assert.Equal("B:&lt;Ada &amp; &quot;Bob&quot;&gt;", lines[1]);
        Assert.Equal("C:<Ada & \"Bob\">", lines[2]);
        Assert.Equal("D:<i>&lt;Ada &amp; &quot;Bob&quot;&gt;</i>", lines[3]);
        Assert.Equal("E:&lt;b&gt;&lt;Ada &amp; &quot;Bob&quot;&gt;", lines[4]);
        Assert.Equal("F:<u>&lt;Ada &amp; &quot;Bob&quot;&gt;</u>", lines[5]);
        Assert.StartsWith("G:<mark style=", lines[6]);
    }

    [Fact]
    public void Empty_text_zero_null_and_empty_lists_are_false_as_in_handlebars()
    {
        Assert.Equal("no problem", ProblemWithText(
            "{{ if '' || 0 || null || [] || subscriber.name == 'x' }}{{ fail_here }}{{ end }}{{ if 'x' && 1 && [1] }}ok{{ end }}"));
    }

    [Theory]
    [InlineData("{{ object.eval_template '{{ 1 }}' }}", "Cannot get member with name eval_template")]
    [InlineData("{{ object.eval '1' }}", "Cannot get member with name eval")]
    [InlineData("{{ include_join ['partials/text-paper.sbn'] }}", "`include_join` was not found")]
    [InlineData("{{ string.upcase = 1 }}", "readonly")]
    [InlineData("{{ subscriber.name = 'x' }}", "readonly")]
    [InlineData("{{ for paper in papers }}{{ paper.title = 'x' }}{{ end }}", "readonly")]
    [InlineData("{{ for paper in papers }}{{ paper.position = 9 }}{{ end }}", "readonly")]
    [InlineData("{{ for paper in papers }}{{ paper.titel }}{{ end }}", "Cannot get member with name titel")]
    [InlineData("{{ digest_date.ticks }}", "Cannot get member with name ticks")]
    [InlineData("{{ 'a' | string.pad_left 1000000000 }}", "exceeds the configured LimitToString")]
    [InlineData("{{ 'ab' * 1000000000 }}", "String multiplication exceeds LimitToString")]
    [InlineData("{{ a = []; for i in 1..30; a = [a]; end; a }}", "digest.txt.sbn:1:")]
    public void A_template_reaches_nothing_beyond_the_documented_model_and_functions(string text, string expected)
    {
        Assert.Contains(expected, ProblemWithText(text));
    }

    [Fact]
    public void Seven_nested_loops_are_rejected_and_the_last_good_version_keeps_serving_with_bounded_memory()
    {
        var library = Library();
        var renderer = new DigestRenderer(library);
        var good = library.Version;
        var loops = string.Concat(Enumerable.Range(1, 7).Select(i => $"{{{{ for p{i} in papers }}}}")) + "{{ p7.title }}\n" + string.Concat(Enumerable.Repeat("{{ end }}", 7));
        DigestRendererTests.Edit(_folder.Path, "digest.txt.sbn", loops, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var text = renderer.Render(SampleDigest.Content()).Text;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(good, library.Version);
        Assert.Contains("these new papers matched your profile", text);
        Assert.Contains("(Templates:LoopLimit; nested loops count together)", Assert.Single(library.Problems).Message);
        Assert.True(allocated < 200_000_000, $"Checking the runaway template allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void Output_past_the_limit_is_an_error_naming_the_line_not_a_silent_cut()
    {
        var problem = ProblemWithText("x\n{{ for i in 1..5000 }}{{ 'abcdefghij' * 100 }}{{ end }}", o => o.MaxOutputCharacters = 100_000);

        Assert.StartsWith("digest.txt.sbn:2:", problem);
        Assert.Contains("the output is longer than 100,000 characters (Templates:MaxOutputCharacters)", problem);
    }

    [Fact]
    public void Captured_output_counts_too_and_memory_stays_bounded()
    {
        // The time limit as long as it goes: on a busy machine the 2 s default could stop this render before the memory limit does.
        var problem = ProblemWithText("{{ s = 'x' * 1000000; list = [] }}{{ for i in 1..100000 }}{{ list = list | array.add (s + i) }}{{ end }}",
            o => { o.LoopLimit = 10_000_000; o.RenderTimeout = TimeSpan.FromMinutes(1); });

        Assert.Contains("(Templates:MaxRenderMemoryMegabytes)", problem);
    }

    [Fact]
    public void A_captured_block_is_written_as_captured_wherever_it_is_printed_and_counts_toward_the_output_limit()
    {
        // The layout prints the captured body straight from the capture into the output: the same text as
        // printing it inside another capture or as a value, and the output limit holds for it too.
        File.WriteAllText(Path.Combine(_folder.Path, "digest.html.sbn"), string.Join("\n",
            "{{ capture body }}<b>{{ subscriber.name }}</b>{{ for paper in papers limit:2 }}[{{ paper.position }}]{{ end }}{{ end ~}}",
            "A:{{ body }}",
            "B:{{ capture outer }}({{ body }}){{ end }}{{ outer }}",
            "C:{{ body | string.size }}",
            "D:{{ paper_count > 1000 ? (body | string.upcase) : body }}"));
        var renderer = new DigestRenderer(Library());

        var lines = renderer.Render(SampleDigest.Content() with { Subscriber = SampleDigest.Subscriber with { Name = "<Ada>" } }).Html.Split('\n');

        Assert.Equal("A:<b>&lt;Ada&gt;</b>[1][2]", lines[0]);
        Assert.Equal("B:(<b>&lt;Ada&gt;</b>[1][2])", lines[1]);
        Assert.Equal($"C:{"<b>&lt;Ada&gt;</b>[1][2]".Length}", lines[2]);
        Assert.Equal("D:<b>&lt;Ada&gt;</b>[1][2]", lines[3]);

        File.WriteAllText(Path.Combine(_folder.Path, "digest.html.sbn"),
            "{{ capture body }}{{ for i in 1..60 }}{{ 'abcdefghij' * 100 }}{{ end }}{{ end }}{{ body }}\n{{ body }}");
        var problem = Library(o => o.MaxOutputCharacters = 100_000).Check().FirstOrDefault()?.ToString();

        Assert.StartsWith("digest.html.sbn:", problem);
        Assert.Contains("the output is longer than 100,000 characters (Templates:MaxOutputCharacters)", problem);
    }

    [Fact]
    public void A_template_that_runs_too_long_is_stopped()
    {
        // A loop no machine finishes in 0.2 s (9 million steps once did, on a fast idle one), under limits it never
        // reaches first: the largest memory allowed, far beyond what 0.2 s of counting allocates.
        var problem = ProblemWithText("{{ for i in 1..900000000 }}{{ end }}",
            o => { o.LoopLimit = 1_000_000_000; o.RenderTimeout = TimeSpan.FromMilliseconds(200); o.MaxRenderMemoryMegabytes = 4096; });

        Assert.Contains("took longer than 0.2 s (Templates:RenderTimeout) and was stopped", problem);
    }

    [Fact]
    public void A_render_that_runs_out_of_time_on_real_data_fails_alone_and_the_templates_stay_in_use()
    {
        // Slow only for one reader: the proof on the samples passes, a real render for that reader runs out of time,
        // as any render can on a machine busy with other work.
        var text = File.ReadAllText(Path.Combine(_folder.Path, "digest.txt.sbn"));
        File.WriteAllText(Path.Combine(_folder.Path, "digest.txt.sbn"),
            "{{ if subscriber.email == 'slow@example.org' }}{{ for i in 1..900000000 }}{{ end }}{{ end }}" + text);
        // The empty loop allocates as it counts: on an idle machine it reached the memory limit before 0.2 s passed, so
        // the memory limit is set to its largest allowed value, far beyond what 0.2 s of counting allocates.
        var library = Library(o => { o.LoopLimit = 1_000_000_000; o.RenderTimeout = TimeSpan.FromMilliseconds(200); o.MaxRenderMemoryMegabytes = 4096; });
        var renderer = new DigestRenderer(library);

        var slow = Assert.Throws<TemplateException>(() =>
            renderer.Render(SampleDigest.Content() with { Subscriber = SampleDigest.Subscriber with { Email = "slow@example.org" } }));
        var next = renderer.Render(SampleDigest.Content());

        Assert.Contains("took longer than 0.2 s (Templates:RenderTimeout)", slow.Message);
        Assert.Contains("these new papers matched your profile", next.Text);
        Assert.Empty(library.Problems);
    }

    [Fact]
    public void An_include_renders_the_same_whether_written_in_place_or_assigned_with_its_arguments_and_its_own_scope()
    {
        // An include that is a statement of its own writes into the caller's output; one whose value is used returns it.
        File.WriteAllText(Path.Combine(_folder.Path, "partials", "note.sbn"), "<i>{{ subscriber.name }}</i>{{ $local = 'partial' }}");
        File.WriteAllText(Path.Combine(_folder.Path, "partials", "args.sbn"), "<b>{{ $1 }}</b>");
        File.WriteAllText(Path.Combine(_folder.Path, "digest.html.sbn"), string.Join("\n",
            "A:{{ include 'partials/note.sbn' }}",
            "B:{{ x = include 'partials/note.sbn' }}[{{ x }}]",
            "C:{{ include 'partials/args.sbn' subscriber.name }}",
            "D:{{ capture body }}{{ include 'partials/note.sbn' }}{{ include 'partials/note.sbn' }}{{ end }}{{ body | string.size }}",
            "E:{{ $local = 'caller'; include 'partials/note.sbn'; $local }}"));
        var renderer = new DigestRenderer(Library());

        var lines = renderer.Render(SampleDigest.Content() with { Subscriber = SampleDigest.Subscriber with { Name = "<Ada>" } }).Html.Split('\n');

        Assert.Equal("A:<i>&lt;Ada&gt;</i>", lines[0]);
        Assert.Equal("B:[<i>&lt;Ada&gt;</i>]", lines[1]);
        Assert.Equal("C:<b>&lt;Ada&gt;</b>", lines[2]);
        Assert.Equal($"D:{2 * "<i>&lt;Ada&gt;</i>".Length}", lines[3]);
        Assert.Equal("E:<i>&lt;Ada&gt;</i>caller", lines[4]);
    }

    [Fact]
    public void An_error_inside_an_included_partial_is_reported_at_its_place_in_the_partial()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "partials", "bad.sbn"), "fine\n{{ 1 | format_date }}");

        Assert.StartsWith("partials/bad.sbn:2:", ProblemWithText("{{ include 'partials/bad.sbn' }}"));
    }

    [Fact]
    public void Recursion_past_the_limit_is_an_error()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "partials", "again.sbn"), "{{ include 'partials/again.sbn' }}");

        Assert.Contains("recursive", ProblemWithText("{{ include 'partials/again.sbn' }}"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_template_that_fails_on_real_data_is_rejected_and_the_last_good_version_renders_that_digest()
    {
        var library = Library();
        var renderer = new DigestRenderer(library);
        var good = library.Version;
        // Passes the check (no sample subscriber is called Mallory), then fails for one real subscriber.
        DigestRendererTests.Edit(_folder.Path, "digest.subject.sbn", "{{ if subscriber.name == 'Mallory' }}{{ 1 | format_date }}{{ end }}New papers", 1);
        Assert.Equal("New papers", renderer.Render(SampleDigest.Content()).Subject);
        Assert.NotEqual(good, library.Version);

        var digest = renderer.Render(SampleDigest.Content() with { Subscriber = SampleDigest.Subscriber with { Name = "Mallory" } });

        Assert.Equal("Planning with Language Agents and 2 more papers · 22 Nov", digest.Subject);
        Assert.Equal(good, library.Version);
        Assert.StartsWith("digest.subject.sbn:1:", Assert.Single(library.Problems).ToString());
        Assert.Contains("format_date needs a date", library.Problems[0].Message);
    }
}
