using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>
/// One keyword or phrase as the subscriber typed it, with the terms it analyses to. An exact phrase ("quoted" in the
/// profile language) matches only where its words stand next to each other; a plain keyword of several words matches
/// wherever all its words occur, and scores more when they are close together.
/// </summary>
public sealed record ProfileTerm(string Text, IReadOnlyList<string> Terms, bool Exact = false)
{
    /// <summary>Identity of what is searched for: two spellings that analyse alike are the same keyword.</summary>
    public string Key { get; } = (Exact ? "\"" : "") + string.Join(' ', Terms);

    /// <summary>The closed compound of a several-word keyword ("selfsupervis" for "self-supervised"), or null.</summary>
    public string? Compound
    {
        get => _compound;
        init => (_compound, _matchKey) = (value, value is null ? null : Key + "\u0000" + value);
    }

    private readonly string? _compound;
    private readonly string? _matchKey;
    private readonly bool _preset;
    private readonly string? _presetMatchKey;

    /// <summary>
    /// A preset topic's keyword (or context word): like a quoted phrase, it counts only where a paper has its words
    /// together (or a form of it: its acronym, its closed compound), never in part nor scattered, since part of a
    /// topic's term ("performance" of "performance rendering", "tool" and "use" far apart) is usually a word of every
    /// field. A subscriber's own keywords still count in part and scattered (measured: refusing partial matches there
    /// costs ranking quality). With paper vectors, a paper enters on meaning through its topic's description, not
    /// through such a keyword.
    /// </summary>
    public bool Preset
    {
        get => _preset;
        init => (_preset, _presetMatchKey) = (value, value && !Exact && Terms.Count > 1 ? MatchKeyOfText + "\u0000together" : null);
    }

    /// <summary>
    /// Identity of what is matched against the papers: <see cref="Key"/> plus the closed compound, which comes from the
    /// words as typed, stop words included ("state of the art" looks for "stateoftheart", "state art" for "stateart",
    /// both with the terms "state art"). Keyword matches are shared by this, so that which spelling was asked first
    /// (on another thread, by another profile) never changes another profile's results.
    /// </summary>
    internal string MatchKey => _presetMatchKey ?? MatchKeyOfText;

    /// <summary>The match key of the words alone, whether or not a partial match counts.</summary>
    private string MatchKeyOfText => _matchKey ?? Key;

    /// <summary>
    /// The words of <see cref="Text"/>, as typed, whose terms are in <paramref name="presentTerms"/> (bit i for
    /// <see cref="Terms"/>[i]): what a partial match names ("generation" of "retrieval augmented generation").
    /// Found by the analyser that made <see cref="Terms"/>, so each word is the one its term came from.
    /// </summary>
    /// <remarks>Remembered per keyword and set of words: <c>rank --profiles</c> writes the same partial matches many times.</remarks>
    public string WordsOf(ulong presentTerms) =>
        PartWords.GetValue(this, static _ => new()).GetOrAdd(presentTerms, static (mask, term) => term.FindWordsOf(mask), this);

    private static readonly ConditionalWeakTable<ProfileTerm, ConcurrentDictionary<ulong, string>> PartWords = new();

    private string FindWordsOf(ulong presentTerms)
    {
        var words = new List<string>();
        var position = -1;
        foreach (var analyzed in TextAnalyzer.Analyze(Text))
        {
            // A hyphenated compound's joined form comes after its parts, at the first part's position: not a word of its own.
            if (analyzed.Position <= position) continue;
            position = analyzed.Position;
            if (position < 64 && (presentTerms & (1UL << position)) != 0) words.Add(Text.Substring(analyzed.Start, analyzed.Length));
        }
        return string.Join(' ', words);
    }
}

/// <summary>
/// What a subscriber wants (keywords, from their own list and their topics, and their topics' context words), does not
/// want (exclusions), and the arXiv categories and authors whose papers they would like a little higher among the relevant ones.
/// </summary>
public sealed record RankingProfile(IReadOnlyList<ProfileTerm> Keywords, IReadOnlyList<ProfileTerm> Exclusions)
{
    /// <summary>arXiv categories ("cs.LG") that raise an already relevant paper; they never make a paper relevant.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Followed authors (folded full names) that raise an already relevant paper.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>
    /// The subscriber's ratings ("more like this" / "less like this"): they reorder the papers the profile admits and
    /// keep a disliked paper out (<see cref="Feedback.LearnedPreferences"/>). Empty: ranking as without ratings.
    /// </summary>
    public IReadOnlyList<Feedback.RatedPaper> Ratings { get; init; } = [];

    /// <summary>
    /// Context words of the profile's preset topics: each adds its score to a paper that a keyword admitted, and
    /// admits none (see <see cref="Topic.Context"/>). Never named as a match.
    /// </summary>
    public IReadOnlyList<ProfileTerm> Context { get; init; } = [];

    /// <summary>The preset topics the profile includes (picked, or named by <c>topic:id</c>), for their descriptions.</summary>
    public IReadOnlyList<Topic> Topics { get; init; } = [];

    /// <summary>One preset topic as its own profile, as the home page's examples show it.</summary>
    public static RankingProfile ForTopic(Topic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return For(new SubscriberProfile { Topics = [topic.Id] }, [topic]);
    }

    /// <summary>Keywords and exclusions in the profile language (see <see cref="ProfileParser"/>), read leniently.</summary>
    public static RankingProfile From(IEnumerable<string> keywords, IEnumerable<string> exclusions) =>
        ProfileParser.Lenient(keywords, exclusions, topics: null);

    /// <summary>The subscriber's own keywords plus the keywords of every topic they picked (unknown topic ids are skipped).</summary>
    public static RankingProfile For(SubscriberProfile profile, IReadOnlyList<Topic> topics) => ProfileParser.ForSubscriber(profile, topics);

    /// <summary>Splits "a, b; c" as typed on a command line or in a form into separate items; commas inside quotes stay.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : ProfileParser.SplitItems(text).Items;
}
