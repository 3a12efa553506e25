using System.Collections.Concurrent;
using PaperMailer.Domain;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Embeds a profile's keywords (as typed; exclusions are not embedded: they drop papers outright) and the names and
/// descriptions of its preset topics, and keeps the result per profile, so a profile is embedded once however many
/// digests rank with it.
/// </summary>
public sealed class ProfileEmbedder(ISentenceEmbedder embedder)
{
    /// <summary>Keywords are short; a longer one is cut like a paper.</summary>
    public const int MaxTokens = 32;

    /// <summary>A topic's name and description are a sentence or two.</summary>
    private const int MaxTopicTokens = 64;

    // A bound, not a policy: a service holds far fewer distinct profiles; should it ever reach this, the cache starts
    // again rather than grow without end.
    private const int MaxCachedProfiles = 200_000;

    private readonly ConcurrentDictionary<string, ProfileVectors> _cache = new(StringComparer.Ordinal);

    public ProfileVectors For(RankingProfile profile)
    {
        var keywords = profile.Keywords.Select(k => EmbeddingText.Normalise(k.Text)).ToList();
        var topics = profile.Topics.Select(TextOf).ToList();
        var fromTopics = profile.Keywords.Any(k => k.Preset) ? profile.Keywords.Select(k => k.Preset).ToList() : [];
        var key = string.Join('\n', keywords) + "\n\u0001" + string.Join('\n', topics) + "\n\u0001" + string.Concat(fromTopics.Select(p => p ? '1' : '0'));
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var vectors = embedder.Embed(keywords.Select(KeywordExpansion.Expand).ToList(), MaxTokens);
        var result = new ProfileVectors(keywords, vectors, VectorMath.Mean(vectors, embedder.Dimensions))
        {
            FromTopics = fromTopics,
            Topics = profile.Topics.Select(t => $"{t.Name} (topic)").ToList(),
            TopicVectors = topics.Count == 0 ? [] : embedder.Embed(topics, MaxTopicTokens),
        };
        if (_cache.Count >= MaxCachedProfiles) _cache.Clear();
        return _cache.GetOrAdd(key, result);
    }

    /// <summary>
    /// "Robotics: Robot learning, manipulation, control and simulation.": the name with the description embedded
    /// better than the description alone (more of the papers most similar to it were ones its keywords admit).
    /// </summary>
    private static string TextOf(Topic topic) =>
        EmbeddingText.Normalise(topic.Description.Length == 0 ? topic.Name : $"{topic.Name}: {topic.Description}");
}
