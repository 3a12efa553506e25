using PaperMailer.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

/// <summary>Each kind of template mistake is reported at the exact file, line and column an editor needs.</summary>
public class TemplateErrorTests
{
    [Theory]
    // Parse errors, at Scriban's own positions.
    [InlineData("digest.subject.sbn", "{{ site_name }}\n\t{{ digest_date }\n",
        "digest.subject.sbn:2:17: Invalid token found `}`")]
    [InlineData("partials/text-paper.sbn", "{{ paper.position }}.\n   {{ end }}",
        "partials/text-paper.sbn:2:9: Error while parsing ScriptPage: Found <end> statement without a corresponding beginning of a block")]
    // A misspelled variable, or a misspelled member of a model object, is an error, not an empty field.
    [InlineData("digest.txt.sbn", "Hi\n  {{ titel }}\n",
        "digest.txt.sbn:2:6: The variable or function `titel` was not found (rendering digest.txt.sbn with the sample digest)")]
    [InlineData("partials/html-paper.sbn", "<tr>\n<td>{{ paper.titel }}</td>\n</tr>",
        "partials/html-paper.sbn:2:14: Cannot get member with name titel (rendering digest.html.sbn with the sample digest)")]
    // A function given the wrong kind of value fails where it is called, inside the partial.
    [InlineData("partials/text-paper.sbn", "{{ paper.position }}\n\n  {{ paper.title | format_date }}",
        "partials/text-paper.sbn:3:20: format_date needs a date, not the text \"Planning with Language Agents: Reinforc… (rendering digest.txt.sbn with the sample digest)")]
    [InlineData("partials/text-paper.sbn", "{{ paper.position }}\n\n  {{ paper.title | truncate 'many' }}",
        "partials/text-paper.sbn:3:29: Unable to convert type `string` to int (rendering digest.txt.sbn with the sample digest)")]
    // An include outside the folder, or of a file that does not exist.
    [InlineData("digest.txt.sbn", "{{ include '../secrets.sbn' }}",
        "digest.txt.sbn:1:4: include '../secrets.sbn': name a template inside the templates folder")]
    [InlineData("digest.txt.sbn", "\n{{ include '/etc/passwd' }}",
        "digest.txt.sbn:2:4: include '/etc/passwd': name a template inside the templates folder")]
    [InlineData("digest.txt.sbn", "{{ include 'partials/text-papr.sbn' }}",
        "digest.txt.sbn:1:4: include 'partials/text-papr.sbn': there is no such template in the templates folder")]
    public void A_broken_template_is_reported_at_its_file_line_and_column(string file, string text, string expected)
    {
        using var folder = new TempFolder();
        DigestRendererTests.CopyTemplates(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, file), text);

        var problems = DigestRendererTests.Renderer(folder.Path).Library.Check();

        Assert.StartsWith(expected, problems[0].ToString());
    }

    [Fact]
    public void The_default_templates_have_no_problems()
    {
        Assert.Empty(DigestRendererTests.Renderer(TestRepository.PathOf("templates")).Library.Check());
    }
}
