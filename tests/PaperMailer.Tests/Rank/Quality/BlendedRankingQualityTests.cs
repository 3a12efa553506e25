using PaperMailer.Tests.Rank.Semantic;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Rank.Quality;

/// <summary>
/// The bar of issue 12 for the blend of lexical and semantic ranking on the whole judged set, at nDCG@10: no profile
/// more than 0.10 below plain BM25, and a mean at least plain BM25's + 0.03. Each test prints the per-profile table
/// (lexical, semantic alone, blend, plain BM25; at 10 and 30).
/// </summary>
[Collection(nameof(EmbeddingModelCollection))]
public class BlendedRankingQualityTests(EmbeddingModel model, ITestOutputHelper output)
{
    private const double MeanMarginOverBm25 = 0.03;
    private const double LargestLossToBm25 = 0.10;

    private IReadOnlyList<ProfileQuality> MeasureAndPrint()
    {
        var at10 = JudgedSetQuality.Measure(model.Embedder, 10);
        var at30 = JudgedSetQuality.Measure(model.Embedder, 30);
        foreach (var line in JudgedSetQuality.Table(at10, 10).Concat([""]).Concat(JudgedSetQuality.Table(at30, 30))) output.WriteLine(line);
        return at10;
    }

    [Fact]
    public void Blend_loses_no_profile_by_more_than_a_tenth_to_plain_BM25()
    {
        var losers = MeasureAndPrint()
            .Where(r => r.Blend < r.PlainBm25 - LargestLossToBm25)
            .Select(r => $"{r.Profile} {r.Blend:0.000} vs {r.PlainBm25:0.000}")
            .ToList();

        Assert.True(losers.Count == 0, $"More than {LargestLossToBm25} below plain BM25 at nDCG@10: {string.Join("; ", losers)}.");
    }

    // Measured 0.825 against plain BM25's 0.782 once profile keywords had their acronyms spelled out before embedding
    // (bench/README.md, "Semantic ranking"); 0.811 before, which missed this bar by 0.001.
    [Fact]
    public void Blend_beats_plain_BM25_on_average_by_the_margin_issue_12_asks()
    {
        var mean = JudgedSetQuality.Mean(MeasureAndPrint());

        Assert.True(mean.Blend >= mean.PlainBm25 + MeanMarginOverBm25,
            $"Mean nDCG@10 of the blend {mean.Blend:0.000} is below plain BM25 {mean.PlainBm25:0.000} + {MeanMarginOverBm25}.");
    }
}
