using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

/// <summary>Each kind of template mistake is reported at the exact file, line and column an editor needs.</summary>
public class TemplateErrorTests
{
    [Theory]
    [InlineData("digest.txt.hbs", "Hi\n  {{#each papers}}\n{{title}}\n",
        "digest.txt.hbs:2:3: \"{{#each papers}}\" is never closed (expected \"{{/each}}\")")]
    [InlineData("digest.txt.hbs", "Hi\n{{#if papers}}\n  x {{/each}}\n",
        "digest.txt.hbs:3:5: \"{{/each}}\" does not close \"{{#if papers}}\" opened at 2:1 (expected \"{{/if}}\")")]
    [InlineData("digest.txt.hbs", "a\nb {{/if}}",
        "digest.txt.hbs:2:3: \"{{/if}}\" closes a block that was never opened")]
    [InlineData("digest.subject.hbs", "{{siteName}} {{title",
        "digest.subject.hbs:1:14: \"{{title\" is not closed with \"}}\"")]
    [InlineData("digest.subject.hbs", "{{siteName}}\n\t{{date}\n{{paperCount}}",
        "digest.subject.hbs:2:2: \"{{date}\" is not closed with \"}}\"")]
    [InlineData("partials/text-paper.hbs", "{{position}}.\n   {{hilight excerpt matched}}",
        "partials/text-paper.hbs:2:4: unknown helper \"hilight\" in \"{{hilight excerpt matched}}\" (known: formatDate, highlight, join, log, lookup, pluralize, truncate, urlencode, wrap)")]
    [InlineData("partials/text-paper.hbs", "{{#each authorList}}x{{/each}}{{#bold title}}x{{/bold}}",
        "partials/text-paper.hbs:1:31: unknown block helper \"bold\" in \"{{#bold title}}\" (known: each, formatDate, highlight, if, join, pluralize, truncate, unless, urlencode, with, wrap)")]
    [InlineData("digest.txt.hbs", "{{#each papers}}\n{{> text-papr}}\n{{/each}}",
        "digest.txt.hbs:2:1: unknown partial \"text-papr\" in \"{{> text-papr}}\" (known partials: html-layout, html-paper, text-paper)")]
    [InlineData("digest.txt.hbs", "{{#if}}x{{/if}}",
        "digest.txt.hbs:1:1: \"{{#if}}\" needs a value, e.g. \"{{#if papers}}\"")]
    [InlineData("partials/text-paper.hbs", "{{position}}\n\n  {{truncate title \"many\"}}",
        "partials/text-paper.hbs:3:3: fails to render the sample digest: helper \"truncate\" failed: argument 2 of truncate must be a whole number, not \"many\" (while rendering digest.txt.hbs)")]
    public void A_broken_template_is_reported_at_its_file_line_and_column(string file, string text, string expected)
    {
        using var folder = new TempFolder();
        DigestRendererTests.CopyTemplates(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, file), text);

        var problems = new DigestRenderer(Options.Create(new TemplateOptions { Directory = folder.Path })).Check();

        Assert.Equal(expected, Assert.Single(problems).ToString());
    }

    [Fact]
    public void The_default_templates_have_no_problems()
    {
        Assert.Empty(new DigestRenderer(Options.Create(new TemplateOptions { Directory = TestRepository.PathOf("templates") })).Check());
    }
}
