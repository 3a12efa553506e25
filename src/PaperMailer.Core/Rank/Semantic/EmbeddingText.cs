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
}
