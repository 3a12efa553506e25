using System.Collections.Concurrent;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>
/// Keywords analysed into <see cref="ProfileTerm"/>s, remembered: many profiles name the same keywords (every topic's,
/// the popular ones), and analysing a keyword again for each of them (folding, stop words, stemming) was most of what
/// parsing a profile cost; <c>rank --profiles</c> parses every profile of a file twice. A term is immutable, so one
/// instance serves every profile. Bounded, so a long-running service does not grow without end: when full it starts over.
/// </summary>
internal static class ProfileTerms
{
    private const int MaxRemembered = 20_000;

    private static readonly ConcurrentDictionary<string, ProfileTerm?> Keywords = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ProfileTerm?> Phrases = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ProfileTerm?> PresetKeywords = new(StringComparer.Ordinal);

    /// <summary>
    /// The keyword (or, when <paramref name="exact"/>, the quoted phrase) <paramref name="text"/>; null when it has no
    /// searchable words. <paramref name="preset"/>: a preset topic's keyword, matched only whole (<see cref="ProfileTerm.Preset"/>).
    /// </summary>
    public static ProfileTerm? Of(string text, bool exact, bool preset = false)
    {
        var cache = exact ? Phrases : preset ? PresetKeywords : Keywords;
        if (cache.TryGetValue(text, out var known)) return known;
        if (cache.Count >= MaxRemembered) cache.Clear();
        // A quoted phrase is whole by nature: a preset's phrase is the same term as anyone's.
        return cache.GetOrAdd(text, static (text, state) => state.preset && !state.exact ? Analyze(text, false) is { } term ? term with { Preset = true } : null : Analyze(text, state.exact),
            (exact, preset));
    }

    private static ProfileTerm? Analyze(string text, bool exact)
    {
        var terms = TextAnalyzer.Analyze(text).GroupBy(t => t.Position).Select(g => g.First().Term).ToList();
        return terms.Count == 0 ? null : new ProfileTerm(text, terms, exact && terms.Count > 1) { Compound = Compound(text, terms) };
    }

    /// <summary>"self supervised" and "self-supervised" also look for the closed compound "selfsupervised".</summary>
    private static string? Compound(string text, IReadOnlyList<string> terms)
    {
        var words = TextAnalyzer.Tokens(text).ToList();
        if (terms.Count < 2 || words.Count > 4) return null;
        return EnglishStemmer.Stem(string.Concat(words));
    }
}
