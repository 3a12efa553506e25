using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank.Semantic;

public class NearDuplicateBlendTests
{
    /// <summary>
    /// Vectors chosen by the test: a text containing "zebra" is exactly the keyword's direction, every other paper
    /// 0.3 similar to it; short texts (keywords) are the keyword's direction.
    /// </summary>
    private sealed class ChosenVectors : ISentenceEmbedder
    {
        public string Model => "chosen";

        public int Dimensions => 2;

        public float[][] Embed(IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken = default) =>
            texts.Select(t => t.Contains("zebra", StringComparison.Ordinal) || t.Length < 40 ? new[] { 0f, 1f } : [0.9539392f, 0.3f]).ToArray();
    }

    [Fact]
    public void The_near_duplicate_of_a_lexical_match_does_not_come_back_in_on_similarity()
    {
        var original = JudgedSet.Papers().Single(p => p.Id == "2508.13219");
        string Without(string text) => Regex.Replace(text, @"\b(graph|neural|networks?)\b", "", RegexOptions.IgnoreCase);
        var twin = original with { Id = "2508.99999", Title = Without(original.Title), Abstract = Without(original.Abstract) + " zebra" };
        var other = JudgedSet.Papers().Single(p => p.Id == "2508.13213");
        var index = PaperIndex.Build([original, twin, other]);
        var embedder = new ChosenVectors();
        var ranker = new PaperRanker(Options.Create(new RankingOptions { SemanticWeight = 0.6 }), new ProfileEmbedder(embedder));

        var ranked = ranker.Rank(index, ProfileParser.Parse("graph neural networks"), 10, vectors: new PaperEmbedder(embedder).Embed(index));

        // The twin is the most similar paper, and would outrank the original on the blend if it could enter.
        Assert.Equal(["2508.13219"], ranked.Select(r => r.Paper.Id));
        Assert.Null(ranked[0].SimilarTo);
    }
}
