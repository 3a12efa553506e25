using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>One keyword or phrase as the subscriber typed it, with the terms it analyses to.</summary>
public sealed record ProfileTerm(string Text, IReadOnlyList<string> Terms);

/// <summary>What a subscriber wants (keywords, from their own list and their topics) and does not want (exclusions).</summary>
public sealed record RankingProfile(IReadOnlyList<ProfileTerm> Keywords, IReadOnlyList<ProfileTerm> Exclusions)
{
    public static RankingProfile From(IEnumerable<string> keywords, IEnumerable<string> exclusions) =>
        new(Analyse(keywords), Analyse(exclusions));

    /// <summary>The subscriber's own keywords plus the keywords of every topic they picked (unknown topic ids are skipped).</summary>
    public static RankingProfile For(Subscriber subscriber, IReadOnlyList<Topic> topics)
    {
        var picked = topics.Where(t => subscriber.Topics.Contains(t.Id, StringComparer.OrdinalIgnoreCase)).ToList();
        return From(
            subscriber.Keywords.Concat(picked.SelectMany(t => t.Keywords)),
            subscriber.ExcludedTerms.Concat(picked.SelectMany(t => t.Exclude)));
    }

    /// <summary>Splits "a, b; c" as typed on a command line or in a form into separate keywords.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<ProfileTerm> Analyse(IEnumerable<string> phrases)
    {
        var result = new List<ProfileTerm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var phrase in phrases)
        {
            var text = phrase.Trim();
            var terms = TextAnalyzer.Terms(text);
            // Duplicates across own keywords and topics would count the same evidence twice.
            if (terms.Count > 0 && seen.Add(string.Join(' ', terms)))
            {
                result.Add(new ProfileTerm(text, terms));
            }
        }
        return result;
    }
}
