using System.Collections.Concurrent;
using PaperMailer.Domain;

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

    public ProfileVectors For(RankingProfile profile)
    {
        var keywords = profile.Keywords.Select(k => EmbeddingText.Normalise(k.Text)).ToList();
        var vectors = new float[keywords.Count][];
        List<int>? unknown = null;
        for (var k = 0; k < keywords.Count; k++)
        {
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
        return new ProfileVectors(keywords, vectors, embedder.Dimensions)
        {
            FromTopics = profile.Keywords.Any(k => k.Preset) ? profile.Keywords.Select(k => k.Preset).ToList() : [],
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
