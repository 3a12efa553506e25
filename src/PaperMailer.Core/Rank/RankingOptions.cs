using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Rank;

public sealed class RankingOptions
{
    public const string SectionName = "Ranking";

    /// <summary>Papers scoring below this are not sent, so a weak match never fills a digest. Default 2.0.</summary>
    [Range(0, 1000)]
    public double MinScore { get; set; } = 2.0;

    /// <summary>BM25 term-frequency saturation. Default 1.2.</summary>
    [Range(0.0, 10.0)]
    public double K1 { get; set; } = 1.2;

    /// <summary>BM25 length normalisation (0 = none, 1 = full). Default 0.75.</summary>
    [Range(0.0, 1.0)]
    public double B { get; set; } = 0.75;
}
