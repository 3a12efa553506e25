using System.Buffers;
using System.Text;
using PaperMailer.Domain;
using PaperMailer.Rank.Text;

namespace PaperMailer.Rank;

/// <summary>A profile that cannot be used, with the reason in one sentence.</summary>
public sealed class ProfileFormatException(string message) : Exception(message);

/// <summary>
/// One thing wrong with a profile as a subscriber gave it: the field it is in (<c>keywords</c>, <c>exclude</c> or
/// <c>topics</c>) and the reason, one sentence without its full stop ("\"topic:astro\" is not a known topic (known: …)").
/// </summary>
public sealed record ProfileProblem(string Field, string Reason)
{
    /// <summary>"keywords: …", as the web form, the CLI and import report it.</summary>
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>What a subscriber's profile means (<see cref="Profile"/>, as the ranker reads it) and everything wrong with it.</summary>
public sealed record ProfileCheck(RankingProfile Profile, IReadOnlyList<ProfileProblem> Problems);

/// <summary>
/// The profile language. Items are separated by commas (or semicolons, or new lines):
/// <code>
/// diffusion, "reinforcement learning from human feedback", -graph, topic:robotics, cat:cs.RO, author:"Sergey Levine"
/// </code>
/// <list type="bullet">
/// <item><c>word</c> or <c>several words</c>: a keyword; several words match wherever all of them occur, higher when adjacent.</item>
/// <item><c>"quoted words"</c>: an exact phrase, matched only where the words stand together.</item>
/// <item><c>-word</c> or <c>-"quoted words"</c>: an exclusion; a paper containing it (as whole words) is never shown.</item>
/// <item><c>topic:id</c>: a preset topic from the topics file: its keywords, matched only where their words stand
/// together (as if quoted: a paper with some words of a several-word keyword is not admitted by it), its context words (which only raise papers a keyword admitted),
/// its exclusions, and its description (with paper vectors, a paper clearly similar to it in meaning may enter).</item>
/// <item><c>cat:cs.LG</c> and <c>author:Name</c> (or <c>author:"Full Name"</c>): boosts for papers that are already relevant.</item>
/// </list>
/// </summary>
public static class ProfileParser
{
    /// <summary>Parses a whole profile as typed; throws <see cref="ProfileFormatException"/> with the reason when it is unusable.</summary>
    public static RankingProfile Parse(string? text, IEnumerable<string>? exclusions = null, IReadOnlyList<Topic>? topics = null)
    {
        var (items, error) = SplitItems(text ?? "");
        if (error is not null) throw new ProfileFormatException(error);
        var builder = new Builder(topics, strict: true);
        foreach (var item in items) builder.Add(item, excluded: false);
        foreach (var item in exclusions ?? []) builder.Add(StripMinus(item), excluded: true);
        return builder.Build(strict: true);
    }

    /// <summary>Parses profile items already split (one keyword, phrase, exclusion or prefix each), strictly.</summary>
    public static RankingProfile ParseItems(IEnumerable<string> items, IEnumerable<string> exclusions, IReadOnlyList<Topic>? topics)
    {
        var builder = new Builder(topics, strict: true);
        foreach (var item in items) builder.Add(item, excluded: false);
        foreach (var item in exclusions) builder.Add(StripMinus(item), excluded: true);
        return builder.Build(strict: true);
    }

    /// <summary>
    /// Parses a profile given as lists (a line of <c>rank --profiles</c>), strictly: its keywords (each checked for an
    /// unbalanced quote first), its topics as <c>topic:</c> items, its exclusions. Throws
    /// <see cref="ProfileFormatException"/> with the reason for a profile that cannot be used.
    /// </summary>
    public static RankingProfile Parse(SubscriberProfile given, IReadOnlyList<Topic> topics)
    {
        ArgumentNullException.ThrowIfNull(given);
        foreach (var keyword in given.Keywords)
        {
            if (UnbalancedQuote(keyword) is { } error) throw new ProfileFormatException(error);
        }
        var items = given.Topics.Count == 0 ? given.Keywords : given.Keywords.Concat(given.Topics.Select(t => "topic:" + t));
        return ParseItems(items, given.Exclusions, topics);
    }

    /// <summary>
    /// Reads stored keyword lists (already accepted once): an item that does not parse is taken as plain words rather
    /// than failing a whole digest run.
    /// </summary>
    public static RankingProfile Lenient(IEnumerable<string> keywords, IEnumerable<string> exclusions, IReadOnlyList<Topic>? topics)
    {
        var builder = new Builder(topics, strict: false);
        foreach (var item in keywords) builder.Add(item, excluded: false);
        foreach (var item in exclusions) builder.Add(StripMinus(item), excluded: true);
        return builder.Build(strict: false);
    }

    /// <summary>
    /// Checks a profile as a subscriber gives it (the web form, <c>subscribers add</c>, an import row): the topics
    /// picked, the keyword items (which may hold <c>-exclusions</c>, <c>topic:</c>, <c>cat:</c> and <c>author:</c>
    /// items) and the exclusions. Every problem is reported with its field rather than thrown, including a profile
    /// that can never match a paper: one whose only items are exclusions, or <c>cat:</c>/<c>author:</c> boosts (which
    /// only raise papers that match a keyword). A profile with no items at all is not a problem here (a subscriber may
    /// take only "Trending today"); nor are exclusions alone when the profile is Trending today, as they apply to
    /// the trending papers.
    /// </summary>
    public static ProfileCheck Check(SubscriberProfile given, IReadOnlyList<Topic> topics)
    {
        ArgumentNullException.ThrowIfNull(given);
        var problems = new List<ProfileProblem>();
        var profile = Read(new Builder(topics, strict: true) { Problems = problems }, given);
        // With no keyword or topic given at all there is nothing to explain here: the caller says what the subscriber lacks.
        if (profile.Keywords.Count == 0 && problems.Count == 0 && given.Keywords.Count + given.Topics.Count > 0)
        {
            if (profile.Categories.Count + profile.Authors.Count > 0) problems.Add(new("keywords", OnlyBoosts));
            else if (profile.Exclusions.Count > 0 && !given.Trending) problems.Add(new("keywords", OnlyExclusions));
        }
        return new ProfileCheck(profile, problems);
    }

    /// <summary>
    /// A stored subscriber's profile as the ranker reads it: what <see cref="Check"/> accepted, read the same way, leniently
    /// (an unknown topic id, left from a topic the operator removed since, is skipped rather than failing a digest run).
    /// </summary>
    internal static RankingProfile ForSubscriber(SubscriberProfile given, IReadOnlyList<Topic> topics)
    {
        ArgumentNullException.ThrowIfNull(given);
        return Read(new Builder(topics, strict: false), given);
    }

    /// <summary>Own keywords first, then the picked topics' keywords, then the exclusions: the order ranking sums keywords in.</summary>
    private static RankingProfile Read(Builder builder, SubscriberProfile given)
    {
        builder.Field = "keywords";
        AddItems(builder, given.Keywords, excluded: false);
        builder.Field = "topics";
        foreach (var id in given.Topics) builder.AddTopic(id.Trim(), picked: true);
        builder.Field = "exclude";
        AddItems(builder, given.Exclusions, excluded: true);
        return builder.Build(strict: false);
    }

    private static void AddItems(Builder builder, IReadOnlyList<string> items, bool excluded)
    {
        foreach (var item in items)
        {
            // A stored or imported list item is one item: a quote it opens must close within it.
            if (builder.Checks && UnbalancedQuote(item) is { } unbalanced)
            {
                builder.Fail(unbalanced);
                continue;
            }
            builder.Add(excluded ? StripMinus(item) : item, excluded);
        }
    }

    /// <summary>The reason a list item opens a quote it does not close; null when it does not.</summary>
    private static string? UnbalancedQuote(string item) =>
        // Only an item with a quote in it can have an unbalanced one; most have none, and splitting costs.
        item.AsSpan().IndexOfAny(Quotes) >= 0 ? SplitItems(item).Error : null;

    // Why a profile can never match a paper, said alike by every entry point (Check, and Parse for rank).
    private const string OnlyBoosts = "boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic";
    private const string OnlyExclusions = "the profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for";

    /// <summary>
    /// What a keyword item searches for, whether quoted or not ("Control" and "control" alike); null when it has no
    /// searchable words. For telling two items of a list apart as the ranker would.
    /// </summary>
    public static string? KeyOf(string item)
    {
        var trimmed = item.Trim();
        var text = trimmed.Length >= 2 && IsQuote(trimmed[0]) && IsQuote(trimmed[^1]) ? trimmed[1..^1] : trimmed.Trim(QuoteChars);
        return ProfileTerms.Of(text, exact: false)?.Key;
    }

    private static string StripMinus(string item) => item.TrimStart().StartsWith('-') ? item.TrimStart()[1..] : item;

    /// <summary>Splits on commas, semicolons and new lines outside quotes; reports an unbalanced quote.</summary>
    public static (IReadOnlyList<string> Items, string? Error) SplitItems(string text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var inQuote = false;
        var quoteStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsQuote(c))
            {
                if (!inQuote) quoteStart = i;
                inQuote = !inQuote;
            }
            if (!inQuote && c is ',' or ';' or '\n')
            {
                Flush();
                continue;
            }
            current.Append(c);
        }
        if (inQuote)
        {
            var fragment = text[quoteStart..].Trim();
            // The unclosed item is kept, so that a form read with SplitList still shows it to the validator.
            Flush();
            return (items, $"Unbalanced quote: {(fragment.Length > 40 ? fragment[..40] + "…" : fragment)} has no closing quote.");
        }
        Flush();
        return (items, null);

        void Flush()
        {
            var item = current.ToString().Trim();
            if (item.Length > 0) items.Add(item);
            current.Clear();
        }
    }

    private static bool IsQuote(char c) => c is '"' or '\u201C' or '\u201D';

    private static readonly SearchValues<char> Quotes = SearchValues.Create("\"\u201C\u201D");

    /// <summary>The same quotes, for trimming (a literal list would be a new array at every call).</summary>
    private static readonly char[] QuoteChars = ['"', '\u201C', '\u201D'];

    private sealed class Builder(IReadOnlyList<Topic>? topics, bool strict)
    {
        /// <summary>When set, problems are collected here (with <see cref="Field"/>) instead of thrown.</summary>
        public List<ProfileProblem>? Problems { get; init; }

        /// <summary>Whether problems are looked for at all (not when reading a stored profile leniently).</summary>
        public bool Checks => strict;

        /// <summary>The field the items being added came from, for <see cref="Problems"/>.</summary>
        public string Field { get; set; } = "keywords";

        // Each list is made on first use: most profiles have a few keywords and nothing else, and rank --profiles
        // parses hundreds of thousands of them (each allocation shows).
        private List<ProfileTerm>? _keywords;
        private List<ProfileTerm>? _exclusions;
        private List<string>? _categories;
        private List<string>? _authors;
        private List<Topic>? _topics;

        // By key, so that duplicates across own keywords and topics are dropped. A few keys are compared one by one
        // (a profile typically has 2-5); a set of them is made only for a longer list.
        private const int KeysComparedOneByOne = 16;
        private HashSet<string>? _keywordKeys;
        private HashSet<string>? _exclusionKeys;

        public void Add(string raw, bool excluded, bool preset = false)
        {
            var item = raw.Trim();
            if (item.Length == 0) return;
            if (!excluded && item.StartsWith('-') && item.Length > 1)
            {
                Add(item[1..], excluded: true);
                return;
            }
            if (!excluded && TryPrefix(item, "topic:", out var topicId))
            {
                AddTopic(topicId);
                return;
            }
            if (!excluded && (TryPrefix(item, "cat:", out var category) || TryPrefix(item, "category:", out category)))
            {
                if (category.Length == 0) { Fail($"\"{item}\" names no category."); return; }
                (_categories ??= []).Add(category);
                return;
            }
            if (!excluded && TryPrefix(item, "author:", out var author))
            {
                var name = TextAnalyzer.Fold(Unquote(author, out _)).Trim();
                if (name.Length == 0) { Fail($"\"{item}\" names no author."); return; }
                (_authors ??= []).Add(string.Join(' ', TextAnalyzer.Tokens(name)));
                return;
            }
            var text = Unquote(item, out var exact);
            if (strict && exact && text.Trim().Length == 0) { Fail($"The quoted phrase {item} is empty."); return; }
            if (!exact && item.AsSpan().IndexOfAny(Quotes) >= 0 && strict) { Fail($"\"{item}\": put quotes around the whole phrase only."); return; }
            if (ProfileTerms.Of(text, exact, preset) is not { } term)
            {
                Fail($"\"{text}\" has no searchable words (only very common words such as \"the\" or \"of\").");
                return;
            }
            // Duplicates across own keywords and topics would count the same evidence twice.
            if (excluded) AddNew(ref _exclusions, ref _exclusionKeys, term);
            else AddNew(ref _keywords, ref _keywordKeys, term);
        }

        private static void AddNew(ref List<ProfileTerm>? terms, ref HashSet<string>? keys, ProfileTerm term)
        {
            terms ??= [];
            if (keys is not null)
            {
                if (keys.Add(term.Key)) terms.Add(term);
                return;
            }
            foreach (var known in terms)
            {
                if (known.Key == term.Key) return;
            }
            terms.Add(term);
            if (terms.Count > KeysComparedOneByOne) keys = new HashSet<string>(terms.Select(t => t.Key), StringComparer.Ordinal);
        }

        /// <summary>A topic's keywords and exclusions; <paramref name="picked"/>: named by id in the topics field, not as <c>topic:id</c>.</summary>
        public void AddTopic(string id, bool picked = false)
        {
            var topic = topics?.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
            if (topic is null)
            {
                var known = topics is null ? "" : $" (known: {string.Join(", ", topics.Select(t => t.Id))})";
                Fail($"\"{(picked ? "" : "topic:")}{id}\" is not a known topic{known}.");
                return;
            }
            if (_topics?.Contains(topic) == true) return;
            // Its context words are added when the profile is built, after every keyword: a word that is a keyword
            // of another picked topic (or one the subscriber typed) admits papers, whichever topic came first.
            (_topics ??= []).Add(topic);
            var field = Field;
            foreach (var keyword in topic.Keywords) Add(keyword, excluded: false, preset: true);
            foreach (var exclusion in topic.Exclusions) Add(exclusion, excluded: true);
            Field = field;
        }

        /// <summary>The picked topics' context words that are not keywords of the profile, each once.</summary>
        private List<ProfileTerm>? Context()
        {
            List<ProfileTerm>? context = null;
            foreach (var topic in _topics ?? [])
            {
                foreach (var word in topic.Context)
                {
                    if (ProfileTerms.Of(Unquote(word.Trim(), out var exact), exact, preset: true) is not { } term) continue;
                    if (_keywords?.Any(k => k.Key == term.Key) == true || context?.Any(c => c.Key == term.Key) == true) continue;
                    (context ??= []).Add(term);
                }
            }
            return context;
        }

        public RankingProfile Build(bool strict)
        {
            if (strict && _keywords is null)
            {
                Fail(_categories is not null || _authors is not null ? Sentence(OnlyBoosts)
                    : _exclusions is not null ? Sentence(OnlyExclusions)
                    : "The profile is empty: give at least one keyword or topic.");
            }
            // Empty lists are not kept: a profile lives as long as its run, and a run may hold many.
            return new RankingProfile((IReadOnlyList<ProfileTerm>?)_keywords ?? [], (IReadOnlyList<ProfileTerm>?)_exclusions ?? [])
            {
                Context = (IReadOnlyList<ProfileTerm>?)Context() ?? [],
                Topics = (IReadOnlyList<Topic>?)_topics ?? [],
                Categories = (IReadOnlyList<string>?)_categories ?? [],
                Authors = (IReadOnlyList<string>?)_authors ?? [],
            };
        }

        private static string Sentence(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..] + ".";

        public void Fail(string reason)
        {
            if (Problems is not null) Problems.Add(new ProfileProblem(Field, reason.TrimEnd('.')));
            else if (strict) throw new ProfileFormatException(reason);
        }

        private static bool TryPrefix(string item, string prefix, out string rest)
        {
            rest = item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? item[prefix.Length..].Trim() : "";
            return item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }

        private static string Unquote(string item, out bool quoted)
        {
            quoted = item.Length >= 2 && IsQuote(item[0]) && IsQuote(item[^1]);
            return quoted ? item[1..^1] : item.Trim(QuoteChars);
        }
    }
}
