using System.Text.RegularExpressions;

namespace PaperMailer.Render;

/// <summary>
/// Checks a template's mustaches before Handlebars.Net sees them, because the library reports several mistakes
/// without a position (an unclosed block, a mismatched close) and accepts others silently until render time
/// (an unknown helper or partial). Every problem found here carries the line and column of the mustache at fault.
/// </summary>
internal static partial class TemplateSyntax
{
    /// <summary>Block helpers Handlebars itself provides.</summary>
    private static readonly HashSet<string> BuiltInBlocks = new(StringComparer.Ordinal) { "if", "unless", "each", "with" };

    /// <summary>Simple helpers Handlebars itself provides.</summary>
    private static readonly HashSet<string> BuiltInHelpers = new(StringComparer.Ordinal) { "lookup", "log" };

    public static IReadOnlyList<TemplateProblem> Check(string file, string text, IReadOnlySet<string> helpers, IReadOnlySet<string> partials)
    {
        var problems = new List<TemplateProblem>();
        var open = new Stack<(string Name, int Offset, string Token)>();
        void Report(int offset, string message)
        {
            var (line, column) = TextPosition.Of(text, offset);
            problems.Add(new TemplateProblem(file, line, column, message));
        }

        var at = 0;
        while ((at = text.IndexOf("{{", at, StringComparison.Ordinal)) >= 0)
        {
            if (at > 0 && text[at - 1] == '\\') { at += 2; continue; } // \{{ is literal text
            var start = at;
            var (close, bodyStart) = text.AsSpan(at).StartsWith("{{!--") ? ("--}}", at + 5)
                : text.AsSpan(at).StartsWith("{{{") ? ("}}}", at + 3)
                : text.AsSpan(at).StartsWith("{{!") ? ("}}", at + 3)
                : ("}}", at + 2);
            var end = text.IndexOf(close, bodyStart, StringComparison.Ordinal);
            var next = text.IndexOf("{{", bodyStart, StringComparison.Ordinal);
            if (end < 0 || (!close.StartsWith('-') && next >= 0 && next < end))
            {
                Report(start, $"\"{Excerpt(text, start)}\" is not closed with \"{close}\"");
                return problems; // the rest of the file cannot be read reliably
            }
            at = end + close.Length;
            if (close != "}}" || text[start + 2] == '!') continue; // comments and triple mustaches hold no blocks
            var body = text[bodyStart..end].Trim().Trim('~').Trim();
            var token = text[start..at];
            if (body.Length == 0) { Report(start, "empty \"{{}}\""); continue; }

            switch (body[0])
            {
                case '#' when body.StartsWith("#>", StringComparison.Ordinal):
                    CheckPartial(body[2..], start, token);
                    open.Push((FirstWord(body[2..]), start, token));
                    break;
                case '#' when body.StartsWith("#*", StringComparison.Ordinal):
                    open.Push((FirstWord(body[2..]), start, token));
                    break;
                case '#' or '^' when body.Length > 1:
                {
                    var name = FirstWord(body[1..]);
                    if (body[0] == '#' && !BuiltInBlocks.Contains(name) && !helpers.Contains(name))
                        Report(start, $"unknown block helper \"{name}\" in \"{token}\" (known: {string.Join(", ", BuiltInBlocks.Concat(helpers).Order(StringComparer.Ordinal))})");
                    else if (body[0] == '#' && BuiltInBlocks.Contains(name) && Arguments(body[1..]).Count == 1)
                        Report(start, $"\"{token}\" needs a value, e.g. \"{{{{#{name} papers}}}}\"");
                    open.Push((name, start, token));
                    break;
                }
                case '/':
                {
                    var name = FirstWord(body[1..]);
                    if (open.Count == 0) Report(start, $"\"{token}\" closes a block that was never opened");
                    else if (open.Peek().Name != name)
                    {
                        var (openName, openOffset, openToken) = open.Peek();
                        var (line, column) = TextPosition.Of(text, openOffset);
                        Report(start, $"\"{token}\" does not close \"{openToken}\" opened at {line}:{column} (expected \"{{{{/{openName}}}}}\")");
                        open.Pop(); // reported once here, not again as never closed
                    }
                    else open.Pop();
                    break;
                }
                case '>':
                    CheckPartial(body[1..], start, token);
                    break;
                default:
                {
                    var words = Arguments(body);
                    var name = words[0];
                    if (name is "else" or "^") break;
                    if (words.Count > 1 && IsPlainName(name) && !BuiltInHelpers.Contains(name) && !helpers.Contains(name))
                        Report(start, $"unknown helper \"{name}\" in \"{token}\" (known: {string.Join(", ", BuiltInHelpers.Concat(helpers).Order(StringComparer.Ordinal))})");
                    break;
                }
            }
            foreach (Match sub in SubExpression().Matches(body))
            {
                var name = sub.Groups[1].Value;
                if (!BuiltInHelpers.Contains(name) && !helpers.Contains(name))
                    Report(start, $"unknown helper \"{name}\" in \"{token}\"");
            }
        }
        foreach (var (name, offset, token) in open)
        {
            Report(offset, $"\"{token}\" is never closed (expected \"{{{{/{name}}}}}\")");
        }
        problems.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return problems;

        void CheckPartial(string rest, int offset, string token)
        {
            var name = FirstWord(rest);
            if (name.Length == 0) Report(offset, $"\"{token}\" names no partial");
            else if (name != "@partial-block" && !name.StartsWith('(') && !partials.Contains(name))
                Report(offset, $"unknown partial \"{name}\" in \"{token}\" (known partials: {string.Join(", ", partials.Order(StringComparer.Ordinal))})");
        }
    }

    private static string FirstWord(string text)
    {
        var words = Arguments(text);
        return words.Count == 0 ? "" : words[0];
    }

    /// <summary>The words of a mustache body, keeping quoted strings and sub-expressions whole.</summary>
    private static List<string> Arguments(string body)
    {
        var words = new List<string>();
        var i = 0;
        while (i < body.Length)
        {
            if (char.IsWhiteSpace(body[i])) { i++; continue; }
            var start = i;
            if (body[i] is '"' or '\'')
            {
                var quote = body[i++];
                while (i < body.Length && body[i] != quote) i++;
                i++;
            }
            else if (body[i] == '(')
            {
                var depth = 0;
                do { depth += body[i] == '(' ? 1 : body[i] == ')' ? -1 : 0; i++; } while (i < body.Length && depth > 0);
            }
            else
            {
                while (i < body.Length && !char.IsWhiteSpace(body[i])) i++;
            }
            words.Add(body[start..Math.Min(i, body.Length)]);
        }
        return words;
    }

    /// <summary>A helper name, as opposed to a path into the data (this.x, ../x, @index, a.b).</summary>
    private static bool IsPlainName(string word) => PlainName().IsMatch(word);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\(\s*([A-Za-z_][A-Za-z0-9_-]*)")]
    private static partial Regex SubExpression();

    private static string Excerpt(string text, int start)
    {
        var end = text.IndexOfAny(['\n', '\r'], start);
        var line = end < 0 ? text[start..] : text[start..end];
        return line.Length > 40 ? line[..40] + "…" : line;
    }
}
