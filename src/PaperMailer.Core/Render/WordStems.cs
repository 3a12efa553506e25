using PaperMailer.Rank.Text;

namespace PaperMailer.Render;

/// <summary>One word of a text as highlighting sees it: where it is, and its stem when it analyses to exactly one term.</summary>
internal readonly record struct WordStem(int Start, int Length, string? Stem);

/// <summary>
/// The words of a text with their stems, and the stems of a keyword, remembered: a digest run highlights the same
/// few hundred excerpts for thousands of subscribers, and stemming every word again for each of them was most of
/// what highlighting cost. Bounded, so a long-running service does not grow without end: when full it starts over.
/// </summary>
internal static class WordStems
{
    private const int MaxRemembered = 20_000;

    private static readonly RememberedResults<string, WordStem[]> Texts = new(MaxRemembered, StringComparer.Ordinal);
    private static readonly RememberedResults<string, string[]> Keywords = new(MaxRemembered, StringComparer.Ordinal);

    public static WordStem[] Of(string text) => Texts.Get(text, Analyze);

    public static string[] OfKeyword(string keyword) => Keywords.Get(keyword, k => [.. TextAnalyzer.Terms(k)]);

    /// <summary>Words are runs of letters, digits and apostrophes; a trailing apostrophe ("models'") is punctuation.</summary>
    private static WordStem[] Analyze(string text)
    {
        var words = new List<WordStem>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '\'' or '\u2019');
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                var end = i;
                while (end > start && text[end - 1] is '\'' or '\u2019') end--;
                if (end > start) words.Add(new WordStem(start, end - start, TextAnalyzer.Terms(text[start..end]) is [var stem] ? stem : null));
                start = -1;
            }
        }
        return [.. words];
    }
}
