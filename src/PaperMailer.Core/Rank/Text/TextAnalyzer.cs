using System.Globalization;

namespace PaperMailer.Rank.Text;

/// <summary>
/// Turns text into the terms ranking compares: split on anything that is not a letter or digit (so "self-supervised"
/// gives "self" and "supervised"), fold case, drop common English words, stem. Profiles and papers go through the
/// same analyzer, which is what makes "networks" in a profile find "network" in a paper.
/// </summary>
public static class TextAnalyzer
{
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        foreach (var token in Tokens(text))
        {
            if (!StopWords.Contains(token))
            {
                terms.Add(EnglishStemmer.Stem(token));
            }
        }
        return terms;
    }

    /// <summary>Lower-cased words in order, stop words included (the renderer uses these for highlighting).</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLower(CultureInfo.InvariantCulture).Replace('\u2019', '\'');
                start = -1;
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || (c == '\'' ) || c == '\u2019';

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "has", "have",
        "how", "however", "i", "if", "in", "into", "is", "it", "its", "it's", "may", "more", "most", "not", "of", "on",
        "or", "our", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
        "through", "to", "toward", "towards", "via", "was", "we", "were", "what", "when", "where", "whether", "which",
        "while", "who", "why", "will", "with", "within", "without", "would", "you", "your",
    };
}
