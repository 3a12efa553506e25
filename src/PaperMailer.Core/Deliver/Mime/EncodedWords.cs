using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>RFC 2047 encoded words ("=?utf-8?B?...?="), for non-ASCII text in the subject and display names.</summary>
internal static class EncodedWords
{
    // 42 bytes make 56 base64 characters, a 68-character word: "Subject: " plus one word still fits in 78
    // columns, and every word stays under RFC 2047's limit of 75 characters. A multiple of 3 avoids padding.
    private const int MaxBytesPerWord = 42;

    /// <summary>
    /// True when <paramref name="text"/> cannot be written as plain header text: non-ASCII, control characters,
    /// something a decoder would take for an encoded word, or a word too long to fold under 78 columns.
    /// </summary>
    public static bool Needed(string text)
    {
        int wordLength = 0;
        foreach (char c in text)
        {
            if (c is < ' ' or > '~')
            {
                return true;
            }

            wordLength = c == ' ' ? 0 : wordLength + 1;
            if (wordLength > 76)
            {
                return true;
            }
        }

        return text.Contains("=?", StringComparison.Ordinal);
    }

    /// <summary>
    /// The text as encoded words, to be separated by folding whitespace (which decoders drop between encoded
    /// words). Words end only between whole characters (RFC 2047 section 5), never inside a UTF-8 sequence.
    /// </summary>
    public static IReadOnlyList<string> Encode(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>(MaxBytesPerWord);
        Span<byte> runeBytes = stackalloc byte[4];
        foreach (Rune rune in text.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(runeBytes);
            if (chunk.Count + length > MaxBytesPerWord)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }

            for (int i = 0; i < length; i++)
            {
                chunk.Add(runeBytes[i]);
            }
        }

        if (chunk.Count > 0 || words.Count == 0)
        {
            words.Add(Word(chunk));
        }

        return words;
    }

    private static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String(bytes.ToArray()) + "?=";
}
