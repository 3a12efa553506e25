using System.Buffers;
using System.Text;

namespace PaperMailer.Domain;

/// <summary>
/// Text as PaperMailer shows it: without control characters (tab and line feed stay), which can break a mail header or
/// a terminal, and without the bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069), which
/// can make a title read differently from what it says. Papers are cleaned when stored and every value a template sees
/// is cleaned again on its way in.
/// </summary>
public static class SafeText
{
    /// <summary>C0 but tab and line feed, DEL, C1, and the bidi controls above: searched for in vectors.</summary>
    private static readonly SearchValues<char> Unwanted = SearchValues.Create(
        Enumerable.Range(0, 0x20).Where(c => c is not '\t' and not '\n')
            .Concat(Enumerable.Range(0x7F, 0xA0 - 0x7F))
            .Concat(Enumerable.Range(0x202A, 5))
            .Concat(Enumerable.Range(0x2066, 4))
            .Select(c => (char)c).ToArray());

    /// <summary>The text without the unwanted characters; nearly every text is clean and comes back as it is, without a copy.</summary>
    public static string Clean(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unwanted);
        if (first < 0) return text;
        var kept = new StringBuilder(text.Length).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (!Unwanted.Contains(c)) kept.Append(c);
        }
        return kept.ToString();
    }

    public static bool IsClean(string text) => !text.AsSpan().ContainsAny(Unwanted);
}
