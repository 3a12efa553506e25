using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>
/// Acronyms and their expansions as the papers themselves define them: "Graph Neural Networks (GNNs)" teaches that
/// "gnn" and "graph neural network" mean the same, so a profile naming one also finds papers that only use the other.
/// Learned from the candidate papers of a run, so it follows the vocabulary of the day rather than a fixed list.
/// It also keeps which paper defined what: the same letters can mean different things ("ASR" is automatic speech
/// recognition in one paper and attack success rate in another), and a paper's own definition says which it means.
/// </summary>
public sealed class AcronymTable
{
    private const int MaxSkippedWords = 3;

    private readonly Dictionary<string, HashSet<string>> _expansionsByAcronym = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _acronymsByExpansion = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Paper, string Acronym), HashSet<string>> _definitionsByPaper = [];

    /// <summary>Stemmed acronym → expansions (terms joined by spaces).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> ExpansionsByAcronym => _expansionsByAcronym;

    public IEnumerable<string> AcronymsFor(IReadOnlyList<string> expansionTerms) =>
        _acronymsByExpansion.GetValueOrDefault(string.Join(' ', expansionTerms)) ?? [];

    public IEnumerable<IReadOnlyList<string>> ExpansionsFor(string acronymTerm) =>
        (_expansionsByAcronym.GetValueOrDefault(acronymTerm) ?? []).Select(e => (IReadOnlyList<string>)e.Split(' '));

    /// <summary>
    /// The expansions (terms joined by spaces) paper <paramref name="paper"/> itself gives for the stemmed acronym,
    /// or null when that paper does not define it.
    /// </summary>
    public HashSet<string>? DefinitionsIn(int paper, string acronymTerm) => _definitionsByPaper.GetValueOrDefault((paper, acronymTerm));

    /// <summary>Looks for "Words Of The Expansion (ACRONYM)" in <paramref name="text"/> of the paper with index <paramref name="paper"/>.</summary>
    public void LearnFrom(string text, int paper)
    {
        var open = text.IndexOf('(');
        while (open > 0)
        {
            var close = text.IndexOf(')', open + 1);
            if (close < 0) break;
            var inside = text.AsSpan(open + 1, close - open - 1).Trim();
            if (LooksLikeAcronym(inside, out var letters))
            {
                TryLearn(text[..open], inside.ToString(), letters, paper);
            }
            open = text.IndexOf('(', open + 1);
        }
    }

    private void TryLearn(string before, string acronym, string letters, int paper)
    {
        var words = TextAnalyzer.Words(before);
        var window = words.Skip(Math.Max(0, words.Count - letters.Length - MaxSkippedWords)).Select(w => w.Folded).ToList();
        var start = MatchBackwards(window, letters, letters.Length - 1, window.Count - 1);
        if (start < 0) return;
        var expansion = TextAnalyzer.Terms(string.Join(' ', window.Skip(start)));
        if (expansion.Count < 2) return;
        var acronymTerm = EnglishStemmer.Stem(TextAnalyzer.Fold(acronym.EndsWith('s') && acronym.Length > 2 && char.IsUpper(acronym[^2]) ? acronym[..^1] : acronym));
        var key = string.Join(' ', expansion);
        if (key == acronymTerm) return;
        Add(_expansionsByAcronym, acronymTerm, key);
        Add(_acronymsByExpansion, key, acronymTerm);
        if (!_definitionsByPaper.TryGetValue((paper, acronymTerm), out var defined)) _definitionsByPaper[(paper, acronymTerm)] = defined = new HashSet<string>(StringComparer.Ordinal);
        defined.Add(key);
    }

    private static void Add(Dictionary<string, HashSet<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var set)) map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(value);
    }

    /// <summary>
    /// Matches acronym letters (from the last) to the words before the parenthesis (from the last): a word gives its
    /// first one or two letters, a common word ("of", "for") may give nothing. Returns where the expansion starts.
    /// </summary>
    private static int MatchBackwards(List<string> words, string letters, int letter, int word)
    {
        if (letter < 0) return word + 1;
        if (word < 0) return -1;
        var w = words[word];
        for (var take = Math.Min(3, letter + 1); take >= 1; take--)
        {
            if (w.Length >= take && string.CompareOrdinal(w, 0, letters, letter - take + 1, take) == 0)
            {
                var start = MatchBackwards(words, letters, letter - take, word - 1);
                if (start >= 0) return start;
            }
        }
        // Only short joining words may be skipped, and never as the first word of the expansion.
        return TextAnalyzer.IsStopWord(w) && letter < letters.Length ? MatchBackwards(words, letters, letter, word - 1) : -1;
    }

    /// <summary>2–10 characters, at least two capitals, letters only (a trailing plural "s" allowed): GNN, GNNs, MoE, ViT.</summary>
    private static bool LooksLikeAcronym(ReadOnlySpan<char> text, out string letters)
    {
        letters = "";
        if (text.Length is < 2 or > 10) return false;
        var upper = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c)) return false;
            if (char.IsUpper(c)) upper++;
        }
        if (upper < 2 || !char.IsUpper(text[0])) return false;
        var core = text[^1] == 's' && char.IsUpper(text[^2]) ? text[..^1] : text;
        letters = TextAnalyzer.Fold(core.ToString());
        return letters.Length >= 2;
    }
}
