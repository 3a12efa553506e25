using System.Text;

namespace PaperMailer.Rank.Semantic;

/// <summary>Text as the embedding model's tokenizer needs it.</summary>
public static class EmbeddingText
{
    /// <summary>
    /// Every run of whitespace (new lines, tabs, no-break spaces…) becomes one space, trimmed at both ends. The
    /// model's tokenizer splits words only on spaces and CRLF: a bare new line would glue two words into one unknown
    /// token.
    /// </summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (IsNormal(text)) return text;
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Whether the text is already as <see cref="Normalise"/> makes it (single spaces between words, none at the ends):
    /// most keywords are, and are then used as they are instead of copied.
    /// </summary>
    private static bool IsNormal(string text)
    {
        if (text[0] == ' ' || text[^1] == ' ') return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ' ? text[i + 1] == ' ' : char.IsWhiteSpace(c) || char.IsControl(c)) return false;
        }
        return true;
    }
}
