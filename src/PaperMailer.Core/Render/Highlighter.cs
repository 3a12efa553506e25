using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace PaperMailer.Render;

/// <summary>
/// Marks the words of a text that a subscriber's matched keywords stand for. Words compare the way ranking compares
/// them (case folded, stemmed, stop words ignored), so the keyword "agents" marks "agent" and "Agentic" is left
/// alone when its stem differs; only whole words are marked, never parts of longer ones.
/// </summary>
public static class Highlighter
{
    /// <summary>Start and length of each word in <paramref name="text"/> that one of <paramref name="keywords"/> matches.</summary>
    public static IReadOnlyList<(int Start, int Length)> Find(string text, IEnumerable<string> keywords)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in keywords) stems.UnionWith(WordStems.OfKeyword(keyword));
        var found = new List<(int, int)>();
        if (stems.Count == 0) return found;
        foreach (var word in WordStems.Of(text))
        {
            if (word.Stem is { } stem && stems.Contains(stem)) found.Add((word.Start, word.Length));
        }
        return found;
    }

    /// <summary>Matches joined when only spaces or hyphens separate them, so "language agents" is marked as one phrase.</summary>
    public static IReadOnlyList<(int Start, int Length)> Spans(string text, IEnumerable<string> keywords)
    {
        var spans = new List<(int Start, int Length)>();
        foreach (var (start, length) in Find(text, keywords))
        {
            if (spans.Count > 0 && spans[^1] is var (lastStart, lastLength)
                && text.AsSpan(lastStart + lastLength, start - lastStart - lastLength).Trim(" -\u2010").IsEmpty)
                spans[^1] = (lastStart, start + length - lastStart);
            else spans.Add((start, length));
        }
        return spans;
    }

    /// <summary>HTML with every match wrapped in <paramref name="open"/>…<paramref name="close"/>; everything else escaped.</summary>
    public static string Html(string text, IEnumerable<string> keywords, string open, string close)
    {
        var list = keywords.ToList();
        return Marked.Get(new MarkedKey(text, string.Join('\0', list), open, close, Html: true), _ => MarkHtml(text, list, open, close));
    }

    /// <summary>Plain text with every match wrapped in <paramref name="marker"/> on both sides (e.g. "*agents*").</summary>
    public static string Text(string text, IEnumerable<string> keywords, string marker)
    {
        if (marker.Length == 0) return text;
        var list = keywords.ToList();
        return Marked.Get(new MarkedKey(text, string.Join('\0', list), marker, marker, Html: false), _ => MarkText(text, list, marker));
    }

    /// <summary>
    /// A digest run marks the same excerpt with the same matched keywords for every subscriber who shares them: each
    /// marked text is worked out once.
    /// </summary>
    private static readonly RememberedResults<MarkedKey, string> Marked = new(20_000);

    /// <remarks>
    /// The text is compared as the same string, not as equal characters: a digest run hands every digest the same
    /// excerpt string of a paper, and hashing a few hundred characters on every lookup cost more than the lookup saved.
    /// Equal text in another string is only a miss, worked out again.
    /// </remarks>
    private readonly record struct MarkedKey(string Text, string Keywords, string Open, string Close, bool Html)
    {
        public bool Equals(MarkedKey other) =>
            ReferenceEquals(Text, other.Text) && Keywords == other.Keywords && Open == other.Open && Close == other.Close && Html == other.Html;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Text), Keywords, Open, Close, Html);
    }

    private static string MarkHtml(string text, IReadOnlyList<string> keywords, string open, string close)
    {
        var html = new StringBuilder(text.Length + 64);
        var at = 0;
        foreach (var (start, length) in Spans(text, keywords))
        {
            html.Append(WebUtility.HtmlEncode(text[at..start])).Append(open).Append(WebUtility.HtmlEncode(text.Substring(start, length))).Append(close);
            at = start + length;
        }
        return html.Append(WebUtility.HtmlEncode(text[at..])).ToString();
    }

    private static string MarkText(string text, IReadOnlyList<string> keywords, string marker)
    {
        var result = new StringBuilder(text.Length + 16);
        var at = 0;
        foreach (var (start, length) in Spans(text, keywords))
        {
            result.Append(text, at, start - at).Append(marker).Append(text, start, length).Append(marker);
            at = start + length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}
