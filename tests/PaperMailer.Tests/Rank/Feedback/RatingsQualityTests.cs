using PaperMailer.Tests.Rank.Semantic;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Rank.Feedback;

/// <summary>
/// Issue 12's measure of learning from ratings on the judged set (<see cref="RatingsSimulation"/>): the ratings of the
/// first digest's top 5 must raise the second digest's mean nDCG@10, lexically and blended. Each test prints the
/// per-profile figures.
/// </summary>
public class LexicalRatingsQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Ratings_of_the_first_digest_improve_the_second_on_average_lexical()
    {
        var rows = RatingsSimulation.Run(RatingsSimulation.Lexical());
        foreach (var line in RatingsSimulation.Table(rows)) output.WriteLine(line);

        Assert.True(rows.Average(r => r.With) > rows.Average(r => r.Without),
            $"Mean nDCG@10 of the second digest with ratings {rows.Average(r => r.With):0.000} is not above without {rows.Average(r => r.Without):0.000}.");
    }
}

[Collection(nameof(EmbeddingModelCollection))]
public class BlendedRatingsQualityTests(EmbeddingModel model, ITestOutputHelper output)
{
    [Fact]
    public void Ratings_of_the_first_digest_improve_the_second_on_average_blended()
    {
        var rows = RatingsSimulation.Run(RatingsSimulation.Blend(model.Embedder), Quality.JudgedSetQuality.VectorsBy(model.Embedder));
        foreach (var line in RatingsSimulation.Table(rows)) output.WriteLine(line);

        Assert.True(rows.Average(r => r.With) > rows.Average(r => r.Without),
            $"Mean nDCG@10 of the second digest with ratings {rows.Average(r => r.With):0.000} is not above without {rows.Average(r => r.Without):0.000}.");
    }
}
