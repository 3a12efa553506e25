using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Subscriptions;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Render;

public partial class DigestEscapingAndSizeTests(ITestOutputHelper output)
{
    private static readonly DigestRenderer Renderer = new(Options.Create(new TemplateOptions { Directory = TestRepository.PathOf("templates") }));

    [Fact]
    public void Hostile_titles_abstracts_and_links_cannot_inject_markup_or_scripts()
    {
        var html = Renderer.Render(DigestFixtures.Hostile()).Html;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onmouseover", html);
        // Every attribute value is quoted and holds no raw quote: nothing can close it early.
        foreach (Match attribute in Attribute().Matches(html)) Assert.DoesNotContain('"', attribute.Groups[2].Value);
        // Highlighting escapes first and marks second: the word "script" is marked inside the escaped text.
        Assert.Contains("&lt;<mark", html);
        Assert.Contains(">script</mark>&gt;", html);
    }

    [Fact]
    public void Right_to_left_and_unbroken_text_is_kept_whole_and_given_its_direction()
    {
        var digest = Renderer.Render(DigestFixtures.Hostile());

        Assert.Contains("نماذج اللغة الكبيرة كوكلاء", digest.Html);
        Assert.Contains("dir=\"auto\"", digest.Html);
        Assert.Contains(DigestFixtures.LongWord, digest.Html);
        Assert.Contains(DigestFixtures.LongWord, digest.Text);
        Assert.Contains("overflow-wrap:anywhere", digest.Html);
    }

    [Fact]
    public void The_largest_digest_stays_under_gmails_clipping_limit()
    {
        // Gmail clips at "102 KB"; counted as 102,000 bytes to stay on the safe side of either reading.
        const int GmailClipBytes = 102_000;
        var digest = Renderer.Render(DigestFixtures.Largest(SubscriberRules.MaxPapersLimit));

        var htmlBytes = Encoding.UTF8.GetByteCount(digest.Html);
        output.WriteLine($"{SubscriberRules.MaxPapersLimit} papers: HTML {htmlBytes} bytes ({htmlBytes * 100.0 / GmailClipBytes:0.0}% of {GmailClipBytes}), text {Encoding.UTF8.GetByteCount(digest.Text)} bytes");
        Assert.Equal(SubscriberRules.MaxPapersLimit, Regex.Count(digest.Html, "class=\"px rule\""));
        Assert.True(htmlBytes < GmailClipBytes, $"The HTML part is {htmlBytes} bytes; Gmail clips messages over {GmailClipBytes}.");
    }

    [Theory]
    [InlineData("Agents and an agent; reagents are not.", "agents", "[Agents] and an [agent]; reagents are not.")]
    [InlineData("Large language models model language.", "large language models", "[Large language models model language].")]
    [InlineData("Self-supervised learners learn", "self-supervised learning", "[Self-supervised] learners [learn]")]
    [InlineData("A & B < C", "amp", "A & B < C")]
    [InlineData("the models' outputs", "model", "the [models]' outputs")]
    public void Highlight_marks_whole_words_by_stem(string text, string keyword, string expected)
    {
        Assert.Equal(expected, Bracket(text, keyword));
        Assert.Equal(expected.Replace('[', '*').Replace(']', '*'), Highlighter.Text(text, [keyword], "*"));
    }

    [Fact]
    public void Highlight_in_html_escapes_the_text_around_the_marks()
    {
        Assert.Equal("&lt;i&gt;<b>agents</b>&lt;/i&gt; &amp; co", Highlighter.Html("<i>agents</i> & co", ["agents"], "<b>", "</b>"));
    }

    private static string Bracket(string text, string keyword)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (var (start, length) in Highlighter.Spans(text, [keyword]))
        {
            result.Append(text, at, start - at).Append('[').Append(text, start, length).Append(']');
            at = start + length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    [GeneratedRegex("\\s([a-z-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
