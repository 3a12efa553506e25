using System.Collections;
using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

/// <summary>
/// Hostile text in every field of every HTML template's model (digest, confirmation email, each site page):
/// markup, quotes, ampersands, template syntax, CRLF and bidi overrides. Nothing gets out unescaped, nothing is
/// escaped twice, and "{{" in data is printed, never evaluated.
/// </summary>
public class HostileDataTests
{
    private const string Hostile = "<script>alert('x')</script> \"q\" & {{ site_name }} {{ 1000 + 234567 }}\r\nline \u202Egnp.exe\u202C \u2066iso\u2069 \u0007bell";

    /// <summary>What must appear instead: controls and bidi characters removed, then escaped once.</summary>
    private static readonly string Expected = HtmlEscape.Text("<script>alert('x')</script> \"q\" & {{ site_name }} {{ 1000 + 234567 }}\nline gnp.exe iso bell");

    private static readonly TemplateLibrary Library = new(Options.Create(new TemplateOptions { Directory = TestRepository.PathOf("templates") }));

    public static TheoryData<string, string> EveryHtmlTemplateWithEverySample()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _) in TemplateSamples.Digests(Library.Options)) data.Add("digest.html.sbn", name);
        foreach (var (name, _) in TemplateSamples.Confirmations(Library.Options)) data.Add("confirm.html.sbn", name);
        foreach (var page in TemplateSamples.Pages) data.Add(page.File, page.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryHtmlTemplateWithEverySample))]
    public void Hostile_text_is_escaped_exactly_once_and_never_evaluated(string file, string sample)
    {
        var model = (IReadOnlyDictionary<string, object?>)Hostilize(Sample(file, sample))!;

        var html = Library.Render(model, "a test", file)[0];

        Assert.Contains(Expected, html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("&amp;lt;", html);
        Assert.DoesNotContain("&amp;amp;", html);
        Assert.DoesNotContain("&amp;quot;", html);
        Assert.DoesNotContain("235567", html);
        Assert.DoesNotContain('\r', html);
        Assert.DoesNotContain('\u202E', html);
        Assert.DoesNotContain('\u2066', html);
        Assert.DoesNotContain('\u0007', html);
    }

    [Fact]
    public void Text_templates_keep_hostile_text_as_written_apart_from_control_and_bidi_characters()
    {
        var (_, sample) = TemplateSamples.Digests(Library.Options)[0];

        var parts = Library.Render((IReadOnlyDictionary<string, object?>)Hostilize(sample)!, "a test", "digest.txt.sbn", "digest.subject.sbn");

        Assert.Contains("<script>alert('x')</script> \"q\" & {{ site_name }} {{ 1000 + 234567 }}\nline gnp.exe iso bell", parts[0]);
        Assert.Contains("<script>alert('x')</script>", parts[1]);
    }

    private static IReadOnlyDictionary<string, object?> Sample(string file, string name) =>
        TemplateSamples.Digests(Library.Options).Concat(TemplateSamples.Confirmations(Library.Options))
            .Concat(TemplateSamples.Pages.Where(p => p.File == file).Select(p => (p.Name, p.Model(Library.Options))))
            .First(s => s.Name == name).Item2;

    /// <summary>The same model with every piece of text replaced by <see cref="Hostile"/>.</summary>
    private static object? Hostilize(object? value) => value switch
    {
        string => Hostile,
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Hostilize(kv.Value)),
        IEnumerable list => list.Cast<object?>().Select(Hostilize).ToList(),
        _ => value,
    };
}
