using System.Collections;
using System.Globalization;
using HandlebarsDotNet;

namespace PaperMailer.Render;

/// <summary>Helpers available to every template; templates/README.md documents each with an example.</summary>
internal static class TemplateHelpers
{
    public static void Register(IHandlebars handlebars)
    {
        // {{join paper.matched ", "}}
        handlebars.RegisterHelper("join", (context, arguments) =>
        {
            if (arguments.Length == 0 || arguments[0] is not IEnumerable items || arguments[0] is string) return arguments.Length > 0 ? arguments[0] : "";
            var separator = arguments.Length > 1 ? arguments[1]?.ToString() ?? ", " : ", ";
            return string.Join(separator, items.Cast<object?>().Select(i => i?.ToString()).Where(s => !string.IsNullOrEmpty(s)));
        });
        // {{truncate abstract 200}}
        handlebars.RegisterHelper("truncate", (context, arguments) =>
        {
            var text = arguments.Length > 0 ? arguments[0]?.ToString() ?? "" : "";
            var length = arguments.Length > 1 ? Convert.ToInt32(arguments[1], CultureInfo.InvariantCulture) : 200;
            return DigestTemplateModel.Excerpt(text, length);
        });
        // {{pluralize paperCount "paper" "papers"}} → "1 paper", "5 papers"
        handlebars.RegisterHelper("pluralize", (context, arguments) =>
        {
            var count = arguments.Length > 0 ? Convert.ToInt64(arguments[0] ?? 0, CultureInfo.InvariantCulture) : 0;
            var singular = arguments.Length > 1 ? arguments[1]?.ToString() ?? "" : "";
            var plural = arguments.Length > 2 ? arguments[2]?.ToString() ?? singular + "s" : singular + "s";
            return $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural)}";
        });
        // {{wrap excerpt 72 "   "}}: plain-text paragraphs wrapped at word boundaries, continuation lines indented.
        handlebars.RegisterHelper("wrap", (context, arguments) =>
        {
            var text = arguments.Length > 0 ? arguments[0]?.ToString() ?? "" : "";
            var width = arguments.Length > 1 ? Convert.ToInt32(arguments[1], CultureInfo.InvariantCulture) : 72;
            var indent = arguments.Length > 2 ? arguments[2]?.ToString() ?? "" : "";
            return Wrap(text, width, indent);
        });
        // {{urlencode subscriber.email}}
        handlebars.RegisterHelper("urlencode", (context, arguments) => Uri.EscapeDataString(arguments.Length > 0 ? arguments[0]?.ToString() ?? "" : ""));
    }

    public static string Wrap(string text, int width, string indent)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return string.Join("\n" + indent, lines);
    }
}
