using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Quality;

/// <summary>nDCG of one judged profile at one cut-off, for each way of ranking.</summary>
public sealed record ProfileQuality(string Profile, double Lexical, double Semantic, double Blend, double PlainBm25);

/// <summary>
/// Ranks every judged profile four ways and scores each ranking by nDCG: the lexical <see cref="PaperRanker"/> as the
/// digest uses it today, similarity in meaning alone (every paper ordered by its mean similarity to the keywords),
/// the blend of the two (<see cref="PaperRanker"/> with paper vectors, default options), and plain BM25.
/// </summary>
public static class JudgedSetQuality
{
    private static readonly Lazy<PaperIndex> LazyIndex = new(() => PaperIndex.Build(JudgedSet.Papers()));
    private static readonly ConditionalWeakTable<ISentenceEmbedder, PaperVectors> Vectors = new();
    private static readonly ConditionalWeakTable<ISentenceEmbedder, ConcurrentDictionary<int, IReadOnlyList<ProfileQuality>>> Measured = new();

    /// <summary>The judged papers, indexed once for every test.</summary>
    public static PaperIndex Index => LazyIndex.Value;

    /// <summary>The judged papers' vectors in <see cref="Index"/>'s order, embedded once per embedder.</summary>
    public static PaperVectors VectorsBy(ISentenceEmbedder embedder) => Vectors.GetValue(embedder, e => new PaperEmbedder(e).Embed(Index));

    /// <summary>
    /// nDCG@k per judged profile, in the file's order; the papers are embedded once per embedder, and each cut-off is
    /// measured once per embedder (the blend's tests each print the same tables).
    /// </summary>
    public static IReadOnlyList<ProfileQuality> Measure(ISentenceEmbedder embedder, int k) =>
        Measured.GetValue(embedder, _ => new()).GetOrAdd(k, _ => MeasureNow(embedder, k));

    private static IReadOnlyList<ProfileQuality> MeasureNow(ISentenceEmbedder embedder, int k)
    {
        var index = Index;
        var vectors = VectorsBy(embedder);
        var profiles = new ProfileEmbedder(embedder);
        var lexical = new PaperRanker(Options.Create(new RankingOptions { Semantic = false }));
        var blend = new PaperRanker(Options.Create(new RankingOptions()), profiles);
        // Weight 1 and no minimum similarity: the blend's semantic half alone, over every paper not excluded.
        var semantic = new PaperRanker(Options.Create(new RankingOptions { SemanticWeight = 1, MinSimilarity = -1 }), profiles);
        var plain = new PlainBm25Ranker(index);

        var rows = new List<ProfileQuality>();
        foreach (var judged in JudgedSet.Profiles())
        {
            var profile = ProfileParser.Parse(judged.Profile);
            double Ndcg(IEnumerable<RankedPaper> ranked) => JudgedSet.Ndcg(ranked.Select(r => r.Paper.Id).ToList(), judged.Grades, k);
            var plainIds = plain.Rank(plain.Compile(profile), k).Select(r => r.Paper.Id).ToList();
            rows.Add(new ProfileQuality(
                judged.Id,
                Ndcg(lexical.Rank(index, profile, k)),
                Ndcg(semantic.Rank(index, profile, k, vectors: vectors)),
                Ndcg(blend.Rank(index, profile, k, vectors: vectors)),
                JudgedSet.Ndcg(plainIds, judged.Grades, k)));
        }
        return rows;
    }

    /// <summary>The rows as a table, with the means under them.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<ProfileQuality> rows, int k)
    {
        yield return $"nDCG@{k,-2}                     lexical  semantic  blend   plain BM25  blend - BM25";
        foreach (var r in rows.Append(Mean(rows)))
        {
            yield return $"{r.Profile,-28} {r.Lexical,7:0.000} {r.Semantic,9:0.000} {r.Blend,7:0.000} {r.PlainBm25,10:0.000} {Math.Round(r.Blend - r.PlainBm25, 3),+12:+0.000;-0.000;+0.000}";
        }
    }

    public static ProfileQuality Mean(IReadOnlyList<ProfileQuality> rows) => new(
        $"mean of {rows.Count}", rows.Average(r => r.Lexical), rows.Average(r => r.Semantic), rows.Average(r => r.Blend), rows.Average(r => r.PlainBm25));
}
