using System.Collections.Concurrent;

namespace PaperMailer.Rank;

/// <summary>
/// The meanings the papers give one acronym that has more than one ("ASR": automatic speech recognition, attack
/// success rate), and which of them a profile means. A profile shows what it means by its other keywords: a meaning
/// that shares a word (stemmed, common words dropped) with another keyword of the profile is meant. When no meaning
/// shares a word with the profile, the profile does not say which it means, and every meaning counts: leaving the
/// acronym out of a profile that asked for nothing more would surprise its reader more than an off-topic paper.
/// (An acronym with one meaning across the papers is never restricted, so this applies only to ambiguous ones.)
/// </summary>
internal sealed class AcronymSenses
{
    /// <summary>At most this many meanings are told apart (one bit each); an acronym with more is left unrestricted.</summary>
    public const int MaxMeanings = 64;

    private readonly HashSet<string>[] _meaningTerms;
    private readonly ConcurrentDictionary<ulong, KeywordPostings> _restricted = new();

    public AcronymSenses(IEnumerable<string> meanings)
    {
        Meanings = meanings.Order(StringComparer.Ordinal).ToArray();
        _meaningTerms = Meanings.Select(m => new HashSet<string>(m.Split(' '), StringComparer.Ordinal)).ToArray();
        All = Meanings.Length >= MaxMeanings ? ulong.MaxValue : (1UL << Meanings.Length) - 1;
    }

    /// <summary>The expansions (terms joined by spaces), in ordinal order; bit i of a mask stands for Meanings[i].</summary>
    public string[] Meanings { get; }

    /// <summary>The mask of every meaning.</summary>
    public ulong All { get; }

    /// <summary>The meanings that keyword <paramref name="keyword"/>'s profile shows it means, as a mask.</summary>
    public ulong MeantBy(RankingProfile profile, int keyword)
    {
        ulong meant = 0;
        for (var i = 0; i < Meanings.Length && i < MaxMeanings; i++)
        {
            for (var k = 0; k < profile.Keywords.Count && (meant & (1UL << i)) == 0; k++)
            {
                if (k == keyword) continue;
                foreach (var term in profile.Keywords[k].Terms)
                {
                    if (!_meaningTerms[i].Contains(term)) continue;
                    meant |= 1UL << i;
                    break;
                }
            }
        }
        return meant == 0 ? All : meant;
    }

    public IReadOnlySet<string> MeaningsIn(ulong mask) =>
        Meanings.Where((_, i) => i < MaxMeanings && (mask & (1UL << i)) != 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>The keyword's matches when only the meanings in <paramref name="mask"/> count, computed once per mask.</summary>
    public KeywordPostings Restricted(ulong mask, Func<ulong, KeywordPostings> match) => _restricted.GetOrAdd(mask, match);
}
