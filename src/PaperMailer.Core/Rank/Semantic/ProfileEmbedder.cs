using System.Collections.Concurrent;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Embeds a profile's keywords (as typed; exclusions are not embedded: they drop papers outright). Vectors are kept per
/// keyword text, not per profile: subscribers and topics share most keywords, so a service ranking many profiles
/// embeds each distinct keyword once and a new profile made of known keywords costs no model call.
/// </summary>
public sealed class ProfileEmbedder(ISentenceEmbedder embedder)
{
    /// <summary>Keywords are short; a longer one is cut like a paper.</summary>
    public const int MaxTokens = 32;

    // A bound, not a policy: a service holds far fewer distinct keywords (1.5 KB each); should it ever reach this, the
    // cache starts again rather than grow without end.
    private const int MaxCachedKeywords = 200_000;

    private readonly ConcurrentDictionary<string, float[]> _keywords = new(StringComparer.Ordinal);

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
            var byText = texts.Zip(embedder.Embed(texts, MaxTokens)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            if (_keywords.Count + byText.Count > MaxCachedKeywords) _keywords.Clear();
            foreach (var k in unknown) vectors[k] = _keywords.GetOrAdd(keywords[k], byText[keywords[k]]);
        }
        return new ProfileVectors(keywords, vectors, VectorMath.Mean(vectors, embedder.Dimensions));
    }
}
