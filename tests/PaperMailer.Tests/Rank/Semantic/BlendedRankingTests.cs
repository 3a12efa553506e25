using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank.Semantic;

/// <summary><see cref="PaperRanker"/> with paper vectors: the blend, its way in for papers without a lexical match, and what still drops papers.</summary>
[Collection(nameof(EmbeddingModelCollection))]
public class BlendedRankingTests(EmbeddingModel model)
{
    private static PaperIndex Index => JudgedSetQuality.Index;
    private readonly PaperVectors _vectors = JudgedSetQuality.VectorsBy(model.Embedder);
    private readonly ProfileEmbedder _profiles = new(model.Embedder);

    private PaperRanker Ranker(RankingOptions options) => new(Options.Create(options), _profiles);

    [Fact]
    public void With_Semantic_off_the_vectors_are_ignored_and_ranking_is_lexical()
    {
        var profile = ProfileParser.Parse("agent memory, time series");
        var lexical = Ranker(new RankingOptions { Semantic = false });

        var withVectors = lexical.Rank(Index, profile, 30, vectors: _vectors);
        var without = new PaperRanker(Options.Create(new RankingOptions())).Rank(Index, profile, 30);

        Assert.Equal(without.Select(r => (r.Paper.Id, r.Score)), withVectors.Select(r => (r.Paper.Id, r.Score)));
        Assert.All(withVectors, r => Assert.Null(r.SimilarTo));
    }

    [Fact]
    public void Every_explanation_the_blend_gives_on_the_judged_set_is_true_of_the_papers_text_or_says_it_is_similar_in_meaning()
    {
        var blended = Ranker(new RankingOptions());

        var (matched, partly, similar) = HonestExplanationTests.CheckEveryExplanation(profile => blended.Rank(Index, profile, Index.Papers.Count, vectors: _vectors));

        Assert.True(matched > 100 && partly > 10 && similar > 0, $"Checked {matched} matched, {partly} partial, {similar} similar in meaning.");
    }

    [Fact]
    public void A_paper_enters_without_a_lexical_match_only_when_similar_enough_to_a_keyword_and_is_explained_so()
    {
        var options = new RankingOptions();
        var blended = Ranker(options);
        var lexical = new PaperRanker(Options.Create(options));
        var admittedOnMeaning = 0;
        foreach (var judged in JudgedSet.Profiles())
        {
            var profile = ProfileParser.Parse(judged.Profile);
            var lexicalIds = lexical.Rank(Index, profile, Index.Papers.Count).Select(r => r.Paper.Id).ToHashSet();
            foreach (var ranked in blended.Rank(Index, profile, Index.Papers.Count, vectors: _vectors))
            {
                if (lexicalIds.Contains(ranked.Paper.Id))
                {
                    Assert.Null(ranked.SimilarTo);
                    Assert.NotEmpty(ranked.Matched.Concat(ranked.Partly));
                    continue;
                }
                admittedOnMeaning++;
                Assert.Empty(ranked.Matched);
                Assert.Contains(ranked.SimilarTo, profile.Keywords.Select(k => k.Text));
                Assert.True(ranked.Similarity >= options.MinSimilarity, $"{ranked.Paper.Id} entered at {ranked.Similarity} for {judged.Profile}.");
            }
        }
        // Without any such paper in the judged set this test would prove nothing.
        Assert.True(admittedOnMeaning > 0);
    }

    [Fact]
    public void Exclusions_drop_papers_however_similar()
    {
        var ranked = Ranker(new RankingOptions { MinSimilarity = -1 }).Rank(Index, ProfileParser.Parse("time series, -forecasting"), Index.Papers.Count, vectors: _vectors);

        Assert.NotEmpty(ranked);
        Assert.DoesNotContain(ranked, r => Regex.IsMatch(r.Paper.Title + " " + r.Paper.Abstract, @"\bforecasting\b", RegexOptions.IgnoreCase));
    }

    [Fact]
    public void Papers_the_caller_rules_out_stay_out()
    {
        var ranked = Ranker(new RankingOptions { MinSimilarity = -1 })
            .Rank(Index, ProfileParser.Parse("multi-agent systems"), Index.Papers.Count, p => p.Id.StartsWith("2606.", StringComparison.Ordinal), vectors: _vectors);

        Assert.NotEmpty(ranked);
        Assert.All(ranked, r => Assert.StartsWith("2606.", r.Paper.Id));
    }

    [Fact]
    public void Vectors_of_another_set_of_papers_are_refused()
    {
        var fewer = new PaperVectors([new float[384]], 384);

        Assert.Throws<ArgumentException>(() => Ranker(new RankingOptions()).Rank(Index, ProfileParser.Parse("time series"), 10, vectors: fewer));
    }
}
