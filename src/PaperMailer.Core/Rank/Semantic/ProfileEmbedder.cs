using System.Collections.Concurrent;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Embeds a profile's keywords (as typed; exclusions are not embedded: they drop papers outright) and keeps the
/// result per profile, so a profile is embedded once however many digests rank with it.
/// </summary>
public sealed class ProfileEmbedder(ISentenceEmbedder embedder)
{
    /// <summary>Keywords are short; a longer one is cut like a paper.</summary>
    public const int MaxTokens = 32;

    // A bound, not a policy: a service holds far fewer distinct profiles; should it ever reach this, the cache starts
    // again rather than grow without end.
    private const int MaxCachedProfiles = 200_000;

    private readonly ConcurrentDictionary<string, ProfileVectors> _cache = new(StringComparer.Ordinal);

    public ProfileVectors For(RankingProfile profile)
    {
        var keywords = profile.Keywords.Select(k => EmbeddingText.Normalise(k.Text)).ToList();
        var key = string.Join('\n', keywords);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var vectors = embedder.Embed(keywords, MaxTokens);
        var result = new ProfileVectors(keywords, vectors, VectorMath.Mean(vectors, embedder.Dimensions));
        if (_cache.Count >= MaxCachedProfiles) _cache.Clear();
        return _cache.GetOrAdd(key, result);
    }
}
