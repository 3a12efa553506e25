using System.Text;

namespace PaperMailer.Subscriptions.Import;

/// <summary>How text from an import file is cleaned: lists split at semicolons, whitespace runs made single spaces.</summary>
internal static class ImportText
{
    /// <summary>
    /// "diffusion; flow matching" → two items. Only semicolons separate: a comma is part of a keyword, so that a CSV
    /// field reads the same whether or not a spreadsheet chose to quote it.
    /// </summary>
    public static string[] SplitItems(string text)
    {
        var count = 0;
        foreach (var part in text.AsSpan().Split(';'))
        {
            if (!text.AsSpan(part).IsWhiteSpace()) count++;
        }
        if (count == 0) return [];
        var items = new string[count];
        var index = 0;
        foreach (var part in text.AsSpan().Split(';'))
        {
            var item = text.AsSpan(part);
            if (!item.IsWhiteSpace()) items[index++] = CollapseWhitespace(item);
        }
        return items;
    }

    /// <summary>Trims and turns every run of whitespace (line breaks from multi-line cells included) into one space.</summary>
    public static string CollapseWhitespace(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        if (!NeedsCollapsing(trimmed)) return trimmed.ToString();
        var builder = new StringBuilder(trimmed.Length);
        var previousWasSpace = false;
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!previousWasSpace) builder.Append(' ');
                previousWasSpace = true;
            }
            else
            {
                builder.Append(c);
                previousWasSpace = false;
            }
        }
        return builder.ToString();
    }

    public static bool HasControlCharacters(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }

    private static bool NeedsCollapsing(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || (i + 1 < text.Length && char.IsWhiteSpace(text[i + 1])))) return true;
        }
        return false;
    }
}
