using System.Collections;
using System.Globalization;
using HandlebarsDotNet;

namespace PaperMailer.Render;

/// <summary>Helpers available to every template; templates/README.md documents each with an example.</summary>
internal static class TemplateHelpers
{
    /// <summary>The mark around highlighted words in HTML: inline colours, so it reads the same in every client.</summary>
    public const string HighlightOpen = "<mark style=\"background:#fde68a;color:#1c1917\">";
    public const string HighlightClose = "</mark>";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "join", "truncate", "pluralize", "wrap", "urlencode", "highlight", "formatDate",
    };

    public static void Register(IHandlebars handlebars, bool html)
    {
        // {{join paper.matched ", "}}
        Value(handlebars, "join", arguments =>
        {
            if (arguments.Length == 0 || arguments[0] is not IEnumerable items || arguments[0] is string) return arguments.Length > 0 ? arguments[0] : "";
            var separator = arguments.Length > 1 ? arguments[1]?.ToString() ?? ", " : ", ";
            return string.Join(separator, items.Cast<object?>().Select(i => i?.ToString()).Where(s => !string.IsNullOrEmpty(s)));
        });
        // {{truncate abstract 200}}
        Value(handlebars, "truncate", arguments => DigestTemplateModel.Excerpt(Text(arguments, 0), Number(arguments, 1, 200, "truncate")));
        // {{pluralize paperCount "paper" "papers"}} → "1 paper", "5 papers"
        Value(handlebars, "pluralize", arguments =>
        {
            var count = Number(arguments, 0, 0, "pluralize");
            var singular = Text(arguments, 1);
            var plural = arguments.Length > 2 ? Text(arguments, 2) : singular + "s";
            return $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural)}";
        });
        // {{wrap excerpt 72 "   "}}: plain-text paragraphs wrapped at word boundaries, continuation lines indented.
        Value(handlebars, "wrap", arguments => Wrap(Text(arguments, 0), Number(arguments, 1, 72, "wrap"), Text(arguments, 2)));
        // {{urlencode subscriber.email}}
        Value(handlebars, "urlencode", arguments => Uri.EscapeDataString(Text(arguments, 0)));
        // {{formatDate publishedAt "d MMM yyyy"}}: dates in the model are already in the subscriber's time zone.
        Value(handlebars, "formatDate", arguments => FormatDate(arguments.Length > 0 ? arguments[0] : null, arguments.Length > 1 ? Text(arguments, 1) : "d MMMM yyyy"));
        // {{highlight excerpt matched}}: HTML marks matched words (escaping everything else); text leaves them plain
        // unless given a marker, {{highlight excerpt matched "*"}}.
        handlebars.RegisterHelper("highlight", (output, context, arguments) =>
        {
            var text = Text(arguments, 0);
            var keywords = arguments.Length > 1 && arguments[1] is IEnumerable items and not string
                ? items.Cast<object?>().Select(i => i?.ToString() ?? "").ToList()
                : [Text(arguments, 1)];
            try
            {
                if (html) output.WriteSafeString(Highlighter.Html(text, keywords, HighlightOpen, HighlightClose));
                else output.Write(Highlighter.Text(text, keywords, Text(arguments, 2)), false);
            }
            catch (Exception ex) when (ex is not HandlebarsException)
            {
                throw new TemplateHelperException("highlight", ex.Message, ex);
            }
        });
    }

    /// <summary>Registers a helper that returns a value; any failure names the helper, so the error can point at it.</summary>
    private static void Value(IHandlebars handlebars, string name, Func<Arguments, object?> helper) =>
        handlebars.RegisterHelper(name, (context, arguments) =>
        {
            try
            {
                return helper(arguments);
            }
            catch (Exception ex) when (ex is not HandlebarsException)
            {
                throw new TemplateHelperException(name, ex.Message, ex);
            }
        });

    private static string Text(Arguments arguments, int index) => arguments.Length > index ? arguments[index]?.ToString() ?? "" : "";

    private static int Number(Arguments arguments, int index, int fallback, string helper)
    {
        if (arguments.Length <= index || arguments[index] is null) return fallback;
        var value = arguments[index];
        if (value is int i) return i;
        if (value is long l) return (int)Math.Clamp(l, int.MinValue, int.MaxValue);
        if (int.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        throw new FormatException($"argument {index + 1} of {helper} must be a whole number, not \"{value}\"");
    }

    private static string FormatDate(object? value, string format)
    {
        var culture = CultureInfo.InvariantCulture;
        return value switch
        {
            null => "",
            TemplateDate date => date.Value.ToString(format, culture),
            DateTimeOffset offset => offset.ToString(format, culture),
            DateTime dateTime => dateTime.ToString(format, culture),
            DateOnly day => day.ToString(format, culture),
            string text when text.Length == 0 => "",
            string text when DateTimeOffset.TryParse(text, culture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed.ToString(format, culture),
            _ => throw new FormatException($"formatDate needs a date, not \"{value}\""),
        };
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

/// <summary>A helper failed while rendering; <see cref="Helper"/> lets the error point at where the template calls it.</summary>
public sealed class TemplateHelperException(string helper, string message, Exception inner) : Exception($"helper \"{helper}\" failed: {message}", inner)
{
    public string Helper { get; } = helper;
}

/// <summary>A moment already converted to the subscriber's time zone; prints as yyyy-MM-dd, formats with formatDate.</summary>
public sealed record TemplateDate(DateTimeOffset Value)
{
    public override string ToString() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
