using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

public class DigestRendererTests
{
    private static readonly Subscriber Ann = new() { Id = 7, Email = "ann@example.org", Name = "Ann", Profile = new SubscriberProfile { Keywords = ["agents"] } };

    private static DigestContent Content(params Paper[] papers) =>
        new(Ann, new DateOnly(2026, 11, 22), papers.Select(p => new RankedPaper(p, 3.5, ["agents"])).ToList(), "https://papers.example.org/unsubscribe?token=abc");

    internal static DigestRenderer Renderer(string directory) => new(Options.Create(new TemplateOptions { Directory = directory }));

    [Fact]
    public void Hostile_paper_fields_are_escaped_in_html_and_left_as_written_in_text()
    {
        var hostile = SamplePapers.Make("2601.00001", "<script>alert('x')</script> & \"agents\"", "Abstract with <b>tags</b> & ampersands.")
            with { Authors = ["Eve <eve@evil.example>"] };

        var digest = Renderer(TestRepository.PathOf("templates")).Render(Content(hostile));

        Assert.DoesNotContain("<script>", digest.Html);
        Assert.DoesNotContain("<b>tags</b>", digest.Html);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;agents&quot;", digest.Html);
        Assert.Contains("<script>alert('x')</script> & \"agents\"", digest.Text);
        Assert.Contains("Eve <eve@evil.example>", digest.Text);
    }

    [Fact]
    public void Subject_names_the_top_paper_the_count_and_the_date_on_one_line()
    {
        var digest = Renderer(TestRepository.PathOf("templates")).Render(Content(
            SamplePapers.Make("2601.00001", "One\r\nBcc: victim@example.org", "x"), SamplePapers.Make("2601.00002", "Two", "y")));

        Assert.Equal("One Bcc and 1 more paper · 22 Nov", digest.Subject);
        Assert.DoesNotContain('\n', digest.Subject);
    }

    [Fact]
    public void Both_parts_carry_every_paper_link_and_the_unsubscribe_link()
    {
        var paper = SamplePapers.Make("2601.00001", "Agents that plan", "An abstract.") with { Upvotes = 12, GithubRepo = "https://github.com/x/y" };

        var digest = Renderer(TestRepository.PathOf("templates")).Render(Content(paper));

        // "=" in attributes is escaped as &#x3D;; what a mail client follows is the decoded value.
        foreach (var part in new[] { System.Net.WebUtility.HtmlDecode(digest.Html), digest.Text })
        {
            Assert.Contains("https://papers.example.org/unsubscribe?token=abc", part);
            Assert.Contains("https://github.com/x/y", part);
            Assert.Contains("https://huggingface.co/papers/2601.00001", part);
        }
        Assert.Contains("Matched: agents", digest.Text);
        Assert.Contains("12 upvotes", digest.Text);
    }

    [Fact]
    public void Both_parts_show_a_partial_match_as_partly_and_a_paper_admitted_on_meaning_as_similar_in_meaning()
    {
        var digest = Renderer(TestRepository.PathOf("templates")).Render(TemplateSamples.ExplainedOtherwise());
        var html = System.Net.WebUtility.HtmlDecode(digest.Html);

        Assert.Contains("Matched: reinforcement learning; partly: agents", digest.Text);
        Assert.Contains("Partly matched: learning", digest.Text);
        Assert.Contains("Similar in meaning to: language agents", digest.Text);
        Assert.Contains("Matched <strong>reinforcement learning</strong>; partly <strong>agents</strong>", html);
        Assert.Contains("Partly matched <strong>learning</strong>", html);
        Assert.Contains("Similar in meaning to <strong>language agents</strong>", html);
        Assert.DoesNotContain("Matched <strong></strong>", html);
        Assert.DoesNotContain("Matched: \n", digest.Text.Replace("\r", ""));
    }

    [Fact]
    public void An_edited_template_applies_to_the_next_render_and_a_broken_edit_is_rejected_keeping_the_last_good_version()
    {
        using var folder = new TempFolder();
        var (renderer, paper) = RendererOverACopy(folder.Path);
        Assert.EndsWith("· 1 new paper · 22 Nov", renderer.Render(Content(paper)).Subject);

        Edit(folder.Path, "digest.subject.sbn", "Your papers for {{ digest_date | format_date 'd MMM' }}", 1);
        Assert.Equal("Your papers for 22 Nov", renderer.Render(Content(paper)).Subject);
        var good = renderer.Library.Version;

        Edit(folder.Path, "digest.txt.sbn", "{{ for paper in papers }}\n{{ paper.title }}\n", 2);
        Assert.Equal("Your papers for 22 Nov", renderer.Render(Content(paper)).Subject);
        Assert.Equal(good, renderer.Library.Version);
        Assert.StartsWith("digest.txt.sbn:", Assert.Single(renderer.Library.Problems).ToString());
    }

    [Fact]
    public void A_render_that_does_not_look_at_the_folder_uses_the_templates_found_when_it_was_last_looked_at()
    {
        using var folder = new TempFolder();
        var (renderer, paper) = RendererOverACopy(folder.Path);
        // Never looked at yet: the first render looks.
        Assert.EndsWith("· 1 new paper · 22 Nov", renderer.Render(Content(paper), checkFolder: false).Subject);

        Edit(folder.Path, "digest.subject.sbn", "Edited: {{ paper_count }}", 1);
        Assert.EndsWith("· 1 new paper · 22 Nov", renderer.Render(Content(paper), checkFolder: false).Subject);

        // What a digest run does when it starts.
        renderer.Validate();
        Assert.Equal("Edited: 1", renderer.Render(Content(paper), checkFolder: false).Subject);
    }

    [Fact]
    public void Templates_that_were_never_good_render_nothing_and_say_where_they_are_broken()
    {
        using var folder = new TempFolder();
        CopyTemplates(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "digest.subject.sbn"), "{{ site_name }}\n{{ if papers }}x{{ end }}{{ end }}");

        var error = Assert.Throws<TemplateException>(() => Renderer(folder.Path).Render(Content(SamplePapers.Make("2601.00001", "Agents", "x"))));

        Assert.StartsWith("digest.subject.sbn:2:", error.Problems[0].ToString());
        Assert.Contains("nothing is rendered", error.Message);
    }

    [Fact]
    public void The_same_paper_in_many_digests_shows_each_its_own_position_terms_score_excerpt_and_local_dates()
    {
        // A run hands every digest the same paper object, and what every digest shows alike is built once: what
        // differs by digest (place, terms, score, excerpt length) and by reader (the time zone of dates) must not leak.
        using var folder = new TempFolder();
        CopyTemplates(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "digest.txt.sbn"),
            "{{ for paper in papers }}{{ paper.position }}|{{ paper.matched | join }}|{{ paper.score }}|{{ paper.excerpt | string.size }}|" +
            "{{ paper.first_seen_at | format_date 'yyyy-MM-dd HH:mm' }}|{{ paper.title }}\n{{ end }}");
        var renderer = Renderer(folder.Path);
        var shared = SamplePapers.Make("2601.00009", "Shared paper", string.Join(' ', Enumerable.Repeat("words of an abstract", 60)),
            firstSeen: new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero));
        var other = SamplePapers.Make("2601.00001", "Other paper", "x");
        var ann = new Subscriber { Id = 1, Email = "ann@example.org", Profile = new SubscriberProfile { Keywords = ["agents"] }, TimeZone = "UTC" };
        var bo = new Subscriber { Id = 2, Email = "bo@example.org", Profile = new SubscriberProfile { Keywords = ["words"] }, TimeZone = "Asia/Tokyo" };
        var date = new DateOnly(2026, 11, 23);
        var options = renderer.Library.Options;

        var first = renderer.Render(new DigestContent(ann, date, [new RankedPaper(shared, 4.25, ["agents"])], "https://x.example/u"));
        var later = Enumerable.Range(0, options.FullAbstractPapers).Select(_ => new RankedPaper(other, 1, ["x"]))
            .Append(new RankedPaper(shared, 1.5, ["words", "abstract"])).ToList();
        var second = renderer.Render(new DigestContent(bo, date, later, "https://x.example/u"));

        Assert.Equal($"1|agents|4.25|{DigestTemplateModel.Excerpt(shared.Abstract, options.AbstractLength).Length}|2026-11-22 23:30|Shared paper", first.Text.Split('\n')[0]);
        Assert.Equal($"{options.FullAbstractPapers + 1}|words, abstract|1.50|{DigestTemplateModel.Excerpt(shared.Abstract, options.ShortAbstractLength).Length}|2026-11-23 08:30|Shared paper",
            second.Text.Split('\n')[options.FullAbstractPapers]);
    }

    /// <summary>A renderer over a copy of the shipped templates in <paramref name="folder"/>, and a paper to render.</summary>
    private static (DigestRenderer Renderer, Paper Paper) RendererOverACopy(string folder)
    {
        CopyTemplates(folder);
        return (Renderer(folder), SamplePapers.Make("2601.00001", "Agents", "x"));
    }

    internal static void Edit(string folder, string file, string text, int minutes)
    {
        File.WriteAllText(Path.Combine(folder, file), text);
        File.SetLastWriteTimeUtc(Path.Combine(folder, file), DateTime.UtcNow.AddMinutes(minutes));
    }

    internal static void CopyTemplates(string target)
    {
        var source = TestRepository.PathOf("templates");
        foreach (var file in Directory.GetFiles(source, "*.sbn", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
