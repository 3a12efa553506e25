using System.Collections.Concurrent;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Embeds a profile's keywords (as typed, with well-known acronyms spelled out; exclusions are not embedded: they drop
/// papers outright) and the names and descriptions of its preset topics. Vectors are kept per keyword text and per
/// topic text, not per profile: subscribers and topics share most keywords, so a service ranking many profiles embeds
/// each distinct keyword once and a new profile made of known keywords costs no model call.
/// </summary>
public sealed class ProfileEmbedder(ISentenceEmbedder embedder)
{
    /// <summary>Keywords are short; a longer one is cut like a paper.</summary>
    public const int MaxTokens = 32;

    /// <summary>A topic's name and description are a sentence or two.</summary>
    private const int MaxTopicTokens = 64;

    // A bound, not a policy: a service holds far fewer distinct keywords (1.5 KB each); should it ever reach this, the
    // cache starts again rather than grow without end.
    private const int MaxCachedKeywords = 200_000;

    private readonly ConcurrentDictionary<string, float[]> _keywords = new(StringComparer.Ordinal);

    // Topics come from the topics file: a handful, kept for the process.
    private readonly ConcurrentDictionary<string, float[]> _topics = new(StringComparer.Ordinal);

    /// <summary>What made a keyword's vector, as stored with it: the model and the keywords' cut ("all-MiniLM-L6-v2/32").</summary>
    public string KeywordModel => $"{embedder.Model}/{MaxTokens}";

    /// <summary>What made a topic's vector: the model and the topics' cut ("all-MiniLM-L6-v2/64").</summary>
    public string TopicModel => $"{embedder.Model}/{MaxTopicTokens}";

    /// <summary>
    /// The texts the profiles' keywords and topics are embedded as that this does not hold yet, each once: what
    /// <see cref="For"/> would have to embed for them.
    /// </summary>
    public IReadOnlyList<MissingText> Missing(IEnumerable<RankingProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var missing = new Dictionary<(bool Topic, string HeldAs), MissingText>();
        foreach (var profile in profiles)
        {
            foreach (var keyword in profile.Keywords)
            {
                var heldAs = EmbeddingText.Normalise(keyword.Text);
                if (!_keywords.ContainsKey(heldAs) && !missing.ContainsKey((false, heldAs)))
                    missing[(false, heldAs)] = new MissingText(new TextVectorKey(KeywordModel, KeywordExpansion.Expand(heldAs)), heldAs, Topic: false);
            }
            foreach (var topic in profile.Topics)
            {
                var text = TextOf(topic);
                if (!_topics.ContainsKey(text) && !missing.ContainsKey((true, text)))
                    missing[(true, text)] = new MissingText(new TextVectorKey(TopicModel, text), text, Topic: true);
            }
        }
        return [.. missing.Values];
    }

    /// <summary>One vector per text, in order: one model call for the keywords' texts and one for the topics'.</summary>
    public float[][] Embed(IReadOnlyList<MissingText> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        foreach (var (topic, maxTokens) in new[] { (false, MaxTokens), (true, MaxTopicTokens) })
        {
            var positions = Enumerable.Range(0, texts.Count).Where(i => texts[i].Topic == topic).ToList();
            if (positions.Count == 0) continue;
            var made = embedder.Embed(positions.Select(i => texts[i].Key.Text).ToList(), maxTokens, cancellationToken);
            for (var i = 0; i < positions.Count; i++) vectors[positions[i]] = made[i];
        }
        return vectors;
    }

    /// <summary>Holds a vector made (or stored) for a text of <see cref="Missing"/>, so that <see cref="For"/> does not embed it.</summary>
    public void Hold(MissingText text, float[] vector)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vector);
        if (text.Topic)
        {
            _topics.TryAdd(text.HeldAs, vector);
            return;
        }
        if (_keywords.Count >= MaxCachedKeywords) _keywords.Clear();
        _keywords.TryAdd(text.HeldAs, vector);
    }

    /// <remarks>Called once per profile ranked (100,000 in a run): with every vector held it allocates only the result.</remarks>
    public ProfileVectors For(RankingProfile profile)
    {
        var keywords = new string[profile.Keywords.Count];
        var vectors = new float[keywords.Length][];
        var anyPreset = false;
        List<int>? unknown = null;
        for (var k = 0; k < keywords.Length; k++)
        {
            keywords[k] = EmbeddingText.Normalise(profile.Keywords[k].Text);
            anyPreset |= profile.Keywords[k].Preset;
            if (_keywords.TryGetValue(keywords[k], out var known)) vectors[k] = known;
            else (unknown ??= []).Add(k);
        }
        if (unknown is not null)
        {
            var texts = unknown.Select(k => keywords[k]).Distinct(StringComparer.Ordinal).ToList();
            var byText = texts.Zip(embedder.Embed(texts.Select(KeywordExpansion.Expand).ToList(), MaxTokens)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            if (_keywords.Count + byText.Count > MaxCachedKeywords) _keywords.Clear();
            foreach (var k in unknown) vectors[k] = _keywords.GetOrAdd(keywords[k], byText[keywords[k]]);
        }
        var profileVectors = new ProfileVectors(keywords, vectors, embedder.Dimensions)
        {
            FromTopics = anyPreset ? profile.Keywords.Select(k => k.Preset).ToList() : [],
        };
        if (profile.Topics.Count == 0) return profileVectors;
        return profileVectors with
        {
            Topics = profile.Topics.Select(t => $"{t.Name} (topic)").ToList(),
            TopicVectors = profile.Topics.Select(t => _topics.GetOrAdd(TextOf(t), text => embedder.Embed([text], MaxTopicTokens)[0])).ToList(),
        };
    }

    /// <summary>
    /// "Robotics: Robot learning, manipulation, control and simulation.": the name with the description embedded
    /// better than the description alone (more of the papers most similar to it were ones its keywords admit).
    /// </summary>
    private static string TextOf(Topic topic) =>
        EmbeddingText.Normalise(topic.Description.Length == 0 ? topic.Name : $"{topic.Name}: {topic.Description}");
}

/// <summary>
/// A text a profile needs a vector of: <see cref="Key"/> says what is embedded (and stored) for it, <see cref="HeldAs"/>
/// what <see cref="ProfileEmbedder"/> keeps it under (a keyword as typed, whitespace normalised; a topic's text).
/// </summary>
public sealed record MissingText(TextVectorKey Key, string HeldAs, bool Topic);
