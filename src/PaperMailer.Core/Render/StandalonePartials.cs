using System.Text.RegularExpressions;

namespace PaperMailer.Render;

/// <summary>
/// Handlebars.Net 2.4.3 stops HTML-escaping inside a partial that stands indented on its own line (it re-indents the
/// partial's output and loses the escaping on the way): "  {{> paper}}" would let a hostile paper title through as
/// markup. Removing the indentation before such partial calls keeps escaping on; in HTML the indentation never showed.
/// </summary>
public static partial class StandalonePartials
{
    [GeneratedRegex(@"^[ \t]+(?=\{\{~?#?>)", RegexOptions.Multiline)]
    private static partial Regex IndentedPartialCall();

    public static string Unindent(string templateSource) => IndentedPartialCall().Replace(templateSource, "");
}
