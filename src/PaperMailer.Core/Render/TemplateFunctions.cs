using System.Collections;
using System.Globalization;
using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// The functions PaperMailer adds to Scriban's built-ins, snake_case and pipe-friendly (the first argument is
/// what comes through the pipe). templates/README.md documents each with an example. A function given the wrong
/// kind of value fails with the position of the call.
/// </summary>
public static class TemplateFunctions
{
    /// <summary>The mark around highlighted words in HTML: inline colours, so it reads the same in every client.</summary>
    public const string HighlightOpen = "<mark style=\"background:#fde68a;color:#1c1917\">";
    public const string HighlightClose = "</mark>";

    /// <summary>Set in a context's Tags when it renders HTML: highlight then returns marked-up, escaped text.</summary>
    public const string HtmlTag = "papermailer.html";

    /// <summary><c>{{ paper.published_at | format_date "d MMM yyyy" }}</c>: dates are already in the subscriber's time zone.</summary>
    public static string FormatDate(TemplateContext context, SourceSpan span, object? value, string format = "d MMMM yyyy") => value switch
    {
        null or "" => "",
        DateTime date => Format(span, date, format),
        _ => throw new ScriptRuntimeException(span, $"format_date needs a date, not {Describe(context, value)}"),
    };

    /// <summary><c>{{ paper.title | truncate 40 }}</c>: cut at a word, marked with "…".</summary>
    public static string Truncate(TemplateContext context, object? text, int length = 200) =>
        DigestTemplateModel.Excerpt(context.ObjectToString(text) ?? "", Math.Max(1, length));

    /// <summary><c>{{ paper_count | pluralize "paper" "papers" }}</c> gives "1 paper", "3 papers".</summary>
    public static string Pluralize(int count, string singular, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>
    /// <c>{{ paper.excerpt | highlight paper.matched }}</c>: in HTML the words the terms stand for are marked and the
    /// rest escaped (trusted HTML); in text they are left alone unless a marker is given (<c>highlight paper.matched "*"</c>).
    /// </summary>
    public static object Highlight(TemplateContext context, SourceSpan span, object? text, object? terms, string marker = "")
    {
        var plain = context.ObjectToString(text) ?? "";
        var keywords = terms switch
        {
            null => [],
            string one => [one],
            IEnumerable many => many.Cast<object?>().Select(t => context.ObjectToString(t) ?? "").ToList(),
            _ => throw new ScriptRuntimeException(span, $"highlight needs a list of terms (such as paper.matched), not {Describe(context, terms)}"),
        };
        return context.Tags.ContainsKey(HtmlTag)
            ? new TrustedHtml(Highlighter.Html(plain, keywords, HighlightOpen, HighlightClose))
            : Highlighter.Text(plain, keywords, marker);
    }

    /// <summary><c>{{ paper.matched | join " · " }}</c>: the non-empty items with the separator between them.</summary>
    public static string Join(TemplateContext context, SourceSpan span, object? list, string separator = ", ") => list switch
    {
        null => "",
        string text => text,
        IEnumerable items => string.Join(separator, items.Cast<object?>().Select(i => context.ObjectToString(i)).Where(s => !string.IsNullOrEmpty(s))),
        _ => throw new ScriptRuntimeException(span, $"join needs a list, not {Describe(context, list)}"),
    };

    /// <summary><c>https://example.org/?q={{ paper.title | url_encode }}</c>.</summary>
    public static string UrlEncode(TemplateContext context, object? text) => Uri.EscapeDataString(context.ObjectToString(text) ?? "");

    /// <summary>
    /// <c>{{ paper.excerpt | wrap 68 "   " }}</c>: text wrapped at word boundaries, continuation lines indented.
    /// (Scriban reads <c>wrap</c> at the start of a tag as its wrap statement, so call it through a pipe.)
    /// </summary>
    public static string Wrap(TemplateContext context, object? text, int width = 72, string indent = "")
    {
        // One pass, no list of words or lines: a digest's text part wraps three fields of every paper, and the
        // pieces were most of what rendering it allocated.
        var source = (context.ObjectToString(text) ?? "").AsSpan();
        var wrapped = new StringBuilder(source.Length + 16);
        var lineLength = 0;
        foreach (var range in source.Split(' '))
        {
            var word = source[range];
            if (word.IsEmpty) continue;
            if (lineLength > 0 && lineLength + 1 + word.Length > width)
            {
                wrapped.Append('\n').Append(indent);
                lineLength = 0;
            }
            if (lineLength > 0)
            {
                wrapped.Append(' ');
                lineLength++;
            }
            wrapped.Append(word);
            lineLength += word.Length;
        }
        return wrapped.ToString();
    }

    /// <summary><c>{{ paper.title | raw }}</c>: written into HTML unescaped. Only for markup you trust.</summary>
    public static TrustedHtml Raw(TemplateContext context, object? value) => new(context.ObjectToString(value) ?? "");

    private static string Format(SourceSpan span, DateTime date, string format)
    {
        try
        {
            return date.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ScriptRuntimeException(span, $"format_date: \"{format}\" is not a .NET date format");
        }
    }

    private static string Describe(TemplateContext context, object value)
    {
        var text = context.ObjectToString(value, nested: true) ?? "";
        return $"{(value is string ? "the text" : "the value")} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }
}
