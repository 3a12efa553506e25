using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Storage;

namespace PaperMailer.Embed;

/// <summary>
/// Papers' vectors for the semantic blend, made once and kept with the papers (<see cref="IPaperVectorStore"/>).
/// A collection embeds what it stored (<see cref="EmbedMissingAsync"/>); ranking reads the vectors of its candidates in
/// one query (<see cref="ForAsync"/>) and embeds, there and then, any candidate still without one (a paper stored
/// before vectors were, or while the model was unavailable). With <see cref="RankingOptions.Semantic"/> off nothing is
/// embedded and the model is never loaded. Should the model fail (it is a native library and a 90 MB file), this says
/// so once, in one warning, and the process goes on without it: papers are still stored, and ranked lexically.
/// </summary>
public sealed class StoredPaperVectors(IPaperVectorStore vectors, IPaperStore papers, PaperEmbedder embedder, IOptions<RankingOptions> ranking,
    IOptions<DigestOptions> digest, TimeProvider clock, ILogger<StoredPaperVectors> logger)
{
    // Papers embedded and stored per round: a crash loses at most this many papers' work, and the rounds' queries stay small.
    private const int PapersPerRound = 64;

    private int _failed;

    /// <summary>Whether papers are embedded and ranking blends: the setting is on and the model has not failed in this process.</summary>
    public bool Enabled => ranking.Value.Semantic && Volatile.Read(ref _failed) == 0;

    /// <summary>What the stored vectors were made by (see <see cref="PaperEmbedder.Model"/>).</summary>
    public string Model => embedder.Model;

    /// <summary>
    /// Embeds and stores, newest first, every paper without a vector first seen within the digests' statistics window
    /// (the papers a digest may rank): a collection's new papers, and papers stored before (a backfill, spread over the
    /// collections that follow an upgrade only in that the first one does it all). Returns how many were embedded.
    /// </summary>
    public async Task<int> EmbedMissingAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return 0;
        var since = clock.GetUtcNow() - digest.Value.StatisticsWindow;
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var embedded = 0;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var ids = await vectors.MissingAsync(Model, since, PapersPerRound, cancellationToken);
            // A paper offered twice did not keep its vector (removed meanwhile): stop rather than go round again.
            if (ids.Count == 0 || !ids.All(tried.Add)) break;
            var batch = await papers.GetByIdsAsync(ids, cancellationToken);
            if (await EmbedAndSaveAsync(batch, cancellationToken) is null) break;
            embedded += batch.Count;
        }
        if (embedded > 0) logger.LogInformation("Embedded {Papers} papers in {Seconds:0.0} s", embedded, watch.Elapsed.TotalSeconds);
        return embedded;
    }

    /// <summary>
    /// The vectors of the index's papers (papers of the store), in its order, read in one query; a paper without a
    /// stored vector is embedded now and its vector stored (the model is loaded only then). Null (rank lexically) when
    /// the blend is off or the model has failed; a paper that could not be embedded gets the zero vector (it enters on
    /// its lexical score alone). Ranking with them needs the profiles' vectors too: see <see cref="StoredProfileVectors"/>.
    /// </summary>
    public async Task<PaperVectors?> ForAsync(PaperIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!Enabled) return null;
        var stored = await vectors.GetAsync(Model, index.Papers.Select(p => p.Paper.Id).ToList(), cancellationToken);
        var missing = index.Papers.Select(p => p.Paper).Where(p => !stored.ContainsKey(p.Id)).ToList();
        var made = missing.Count == 0 ? null : await EmbedAndSaveAsync(missing, cancellationToken);
        return PaperVectors.For(index, paper => stored.GetValueOrDefault(paper.Id) ?? made?.GetValueOrDefault(paper.Id), embedder.Dimensions);
    }

    /// <summary>
    /// The vectors of papers read from a file (<c>rank --papers</c>), in the index's order: a paper the store holds with
    /// the same title and abstract (once cleaned as a collection cleans them) has its stored vector; any other is embedded
    /// now, ~45 ms of CPU each, and not kept (the file is not the store). Two queries for the whole file. Null when the
    /// blend is off or the model cannot be used.
    /// </summary>
    public async Task<PaperVectors?> ForFileAsync(PaperIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!Enabled) return null;
        var ids = index.Papers.Select(p => p.Paper.Id).ToList();
        var storedPapers = (await papers.GetByIdsAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var stored = await vectors.GetAsync(Model, ids, cancellationToken);
        bool Usable(Paper paper) =>
            stored.ContainsKey(paper.Id) && storedPapers.TryGetValue(paper.Id, out var kept) && PaperMerge.SameText(kept, PaperText.Clean(paper));
        var missing = index.Papers.Select(p => p.Paper).Where(p => !Usable(p)).ToList();
        var made = missing.Count == 0 ? [] : UseModel(() => embedder.Embed(missing, cancellationToken));
        if (made is null) return null;
        var madeById = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < missing.Count; i++) madeById.TryAdd(missing[i].Id, made[i]);
        return PaperVectors.For(index, paper => madeById.GetValueOrDefault(paper.Id) ?? stored[paper.Id], embedder.Dimensions);
    }

    /// <summary>Embeds the papers and stores their vectors; null when the model failed (nothing stored).</summary>
    private async Task<Dictionary<string, float[]>?> EmbedAndSaveAsync(IReadOnlyList<Paper> batch, CancellationToken cancellationToken)
    {
        var made = UseModel(() => embedder.Embed(batch, cancellationToken));
        if (made is null) return null;
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++) result[batch[i].Id] = made[i];
        await vectors.SaveAsync(Model, result.Select(p => new PaperVector(p.Key, p.Value)).ToList(), clock.GetUtcNow(), cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="embed"/>, or says once why the model cannot be used and returns null (then
    /// <see cref="Enabled"/> is false for the rest of the process). Profiles' texts are embedded through this too
    /// (<see cref="StoredProfileVectors"/>), so one failure turns the blend off for papers and profiles alike.
    /// </summary>
    internal T? UseModel<T>(Func<T> embed) where T : class
    {
        try
        {
            return embed();
        }
        // Whatever the native runtime or the model file throws (missing library, unsupported CPU, damaged file): the
        // collection and the digests must go on without it.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (Interlocked.Exchange(ref _failed, 1) == 0)
            {
                logger.LogWarning(
                    "The embedding model could not be used ({Reason}): papers are stored without vectors and ranked on their words alone until PaperMailer restarts; set Ranking:Semantic=false to stop loading it.",
                    ex.Message);
            }
            return null;
        }
    }
}
