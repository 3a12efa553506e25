using System.Globalization;
using System.Text;

namespace PaperMailer.Rank.Text;

/// <summary>One analysed word: its stemmed term, its position among the kept terms, and where it is in the text.</summary>
/// <remarks>
/// A hyphenated compound ("self-supervised") yields its parts ("self", "supervis") at consecutive positions and
/// also the joined form ("selfsupervis") at the position of its first part, so that "self-supervised",
/// "self supervised" and "selfsupervised" can all find each other.
/// </remarks>
public readonly record struct AnalyzedTerm(string Term, int Position, int Start, int Length);

/// <summary>
/// Turns text into the terms ranking compares: split on anything that is not a letter or digit, fold case the
/// Unicode way (compatibility forms such as ligatures and full-width letters first, then lower case, ß as "ss"),
/// drop common English words, stem. Profiles and papers go through the same analyzer, which is what makes
/// "networks" in a profile find "network" in a paper.
/// </summary>
public static class TextAnalyzer
{
    public static List<string> Terms(string text) => Analyze(text).Select(t => t.Term).ToList();

    /// <summary>Terms with positions and character spans (into <paramref name="text"/>) for phrase matching and highlighting.</summary>
    public static List<AnalyzedTerm> Analyze(string text)
    {
        var result = new List<AnalyzedTerm>();
        var words = Words(text);
        var position = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var chainEnd = i;
            while (chainEnd + 1 < words.Count && IsHyphenJoin(text, words[chainEnd], words[chainEnd + 1])) chainEnd++;
            var chainStart = position;
            for (var j = i; j <= chainEnd; j++)
            {
                var part = words[j];
                if (StopWords.Contains(part.Folded)) continue;
                result.Add(new AnalyzedTerm(EnglishStemmer.Stem(part.Folded), position++, part.Start, part.Length));
            }
            if (chainEnd > i)
            {
                var joined = string.Concat(words.Skip(i).Take(chainEnd - i + 1).Select(w => w.Folded));
                var last = words[chainEnd];
                result.Add(new AnalyzedTerm(EnglishStemmer.Stem(joined), chainStart, word.Start, last.Start + last.Length - word.Start));
            }
            i = chainEnd;
        }
        return result;
    }

    /// <summary>Case-folded words in order, stop words included.</summary>
    public static IEnumerable<string> Tokens(string text) => Words(text).Select(w => w.Folded);

    /// <summary>Whether the folded word is too common to search for on its own ("the", "of", …).</summary>
    public static bool IsStopWord(string foldedWord) => StopWords.Contains(foldedWord);

    public static string Fold(string word)
    {
        var normalized = word.IsNormalized(NormalizationForm.FormKC) ? word : word.Normalize(NormalizationForm.FormKC);
        var lower = normalized.ToLowerInvariant();
        return lower.Contains('ß') || lower.Contains('\u2019') ? lower.Replace("ß", "ss").Replace('\u2019', '\'') : lower;
    }

    internal readonly record struct Word(string Folded, int Start, int Length);

    internal static List<Word> Words(string text)
    {
        var words = new List<Word>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text, i);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                var raw = text.AsSpan(start, i - start).Trim("'\u2019");
                if (raw.Length > 0)
                {
                    var offset = text.AsSpan(start, i - start).IndexOf(raw);
                    words.Add(new Word(Fold(raw.ToString()), start + offset, raw.Length));
                }
                start = -1;
            }
        }
        return words;
    }

    private static bool IsWordChar(string text, int i)
    {
        var c = text[i];
        if (char.IsLetterOrDigit(c) || c == '\'' || c == '\u2019') return true;
        // Combining marks belong to the letter before them (decomposed accents).
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    private static bool IsHyphenJoin(string text, Word left, Word right)
    {
        var gap = right.Start - (left.Start + left.Length);
        return gap == 1 && text[left.Start + left.Length] is '-' or '\u2010' or '\u2011';
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "has", "have",
        "how", "however", "i", "if", "in", "into", "is", "it", "its", "it's", "may", "more", "most", "not", "of", "on",
        "or", "our", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
        "through", "to", "toward", "towards", "via", "was", "we", "were", "what", "when", "where", "whether", "which",
        "while", "who", "why", "will", "with", "within", "without", "would", "you", "your",
    };
}
