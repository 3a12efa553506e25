using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Storage;

namespace PaperMailer.Embed;

/// <summary>
/// Profiles' keyword and topic vectors, made once per database and kept (<see cref="ITextVectorStore"/>): before ranking
/// many profiles, <see cref="PrepareAsync"/> hands <see cref="ProfileEmbedder"/> every vector they need, read from the
/// store in one query, and embeds only texts never embedded before. A process that finds them all (a second
/// <c>rank</c>, a restarted service, a digest run of known keywords) then ranks without loading the model (~400 MB,
/// about a second), whose only other use is embedding papers that have no stored vector.
/// </summary>
public sealed class StoredProfileVectors(ITextVectorStore store, ProfileEmbedder embedder, StoredPaperVectors papers, TimeProvider clock,
    ILogger<StoredProfileVectors> logger)
{
    // Texts embedded and stored per model call: keywords are short, so a call's padding wastes little, and a crash loses
    // at most this many texts' work.
    private const int TextsPerRound = 256;

    /// <summary>
    /// The papers' vectors to rank <paramref name="profiles"/> with: <paramref name="paperVectors"/> once the profiles'
    /// vectors are ready (<see cref="PrepareAsync"/>), null (rank on words) when the papers have none or the profiles'
    /// cannot be had. The blend needs both.
    /// </summary>
    public async Task<PaperVectors?> BlendingAsync(PaperVectors? paperVectors, IEnumerable<RankingProfile> profiles, CancellationToken cancellationToken) =>
        paperVectors is not null && await PrepareAsync(profiles, cancellationToken) ? paperVectors : null;

    /// <summary>
    /// Makes sure <see cref="ProfileEmbedder.For"/> holds the vectors of every keyword and topic of the profiles (it then
    /// calls no model for them). True when it does: ranking may blend. False when the blend is off or the model has
    /// failed (said once, in one warning): rank these profiles on words alone, without paper vectors.
    /// </summary>
    public async Task<bool> PrepareAsync(IEnumerable<RankingProfile> profiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (!papers.Enabled) return false;
        var missing = embedder.Missing(profiles);
        if (missing.Count == 0) return true;

        var stored = await store.GetAsync(missing.Select(m => m.Key).ToHashSet(), cancellationToken);
        var unknown = new List<MissingText>();
        foreach (var text in missing)
        {
            if (stored.TryGetValue(text.Key, out var vector)) embedder.Hold(text, vector);
            else unknown.Add(text);
        }
        if (unknown.Count == 0) return true;

        var watch = Stopwatch.StartNew();
        // Two keywords may be embedded as one text ("RAG" is spelled out as what another typed in full): embedded once.
        var byKey = unknown.ToLookup(t => t.Key);
        var texts = byKey.Select(g => g.First()).ToList();
        foreach (var round in texts.Chunk(TextsPerRound))
        {
            var vectors = papers.UseModel(() => embedder.Embed(round, cancellationToken));
            if (vectors is null) return false;
            await store.SaveAsync(round.Select((t, i) => new TextVector(t.Key, vectors[i])).ToList(), clock.GetUtcNow(), cancellationToken);
            for (var i = 0; i < round.Length; i++)
            {
                foreach (var text in byKey[round[i].Key]) embedder.Hold(text, vectors[i]);
            }
        }
        logger.LogInformation("Embedded {Texts} keyword and topic texts never embedded before in {Seconds:0.0} s", texts.Count, watch.Elapsed.TotalSeconds);
        return true;
    }
}
