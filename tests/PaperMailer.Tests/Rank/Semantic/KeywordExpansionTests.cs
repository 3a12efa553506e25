using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Semantic;

/// <summary>Keywords as they are embedded: well-known acronyms spelled out before their letters.</summary>
public class KeywordExpansionTests
{
    [Theory]
    [InlineData("RLHF", "reinforcement learning from human feedback (RLHF)")]
    [InlineData("GNNs", "graph neural network (GNNs)")]
    [InlineData("rag", "retrieval-augmented generation (rag)")]
    [InlineData("KV cache", "key-value (KV) cache")]
    [InlineData("\"LLM agents\"", "\"large language model (LLM) agents\"")]
    [InlineData("agents (LLM),", "agents (large language model (LLM)),")]
    [InlineData("graph neural networks", "graph neural networks")]
    [InlineData("diffusion models", "diffusion models")]
    [InlineData("S", "S")]
    public void Known_acronyms_are_spelled_out_and_other_words_kept(string keyword, string embedded) =>
        Assert.Equal(embedded, KeywordExpansion.Expand(keyword));
}

/// <summary>What spelling acronyms out does to similarity in meaning, with the real model.</summary>
[Collection(nameof(EmbeddingModelCollection))]
public class AcronymKeywordSimilarityTests(EmbeddingModel model)
{
    [Fact]
    public void An_acronym_typed_alone_is_as_close_to_its_meaning_as_the_words_are()
    {
        var profiles = new ProfileEmbedder(model.Embedder);
        var words = profiles.For(ProfileParser.Parse("graph neural networks")).KeywordVectors[0];
        var acronym = profiles.For(ProfileParser.Parse("GNN")).KeywordVectors[0];
        var letters = model.Embedder.Embed(["GNN"], ProfileEmbedder.MaxTokens)[0];

        // The letters alone are cut into pieces the model barely knows; spelled out, they mean what the words mean.
        Assert.True(VectorMath.Dot(words, acronym) > 0.8, $"GNN as embedded is {VectorMath.Dot(words, acronym):0.00} similar to graph neural networks.");
        Assert.True(VectorMath.Dot(words, letters) < VectorMath.Dot(words, acronym) - 0.2, $"The letters alone are {VectorMath.Dot(words, letters):0.00} similar.");
    }

    [Fact]
    public void A_paper_admitted_on_meaning_names_the_acronym_as_typed()
    {
        var vectors = Quality.JudgedSetQuality.VectorsBy(model.Embedder);
        var ranker = new PaperRanker(Microsoft.Extensions.Options.Options.Create(new RankingOptions()), new ProfileEmbedder(model.Embedder));

        var ranked = ranker.Rank(Quality.JudgedSetQuality.Index, ProfileParser.Parse("GNN"), 10, vectors: vectors);

        Assert.NotEmpty(ranked);
        Assert.All(ranked, r => Assert.Equal("Similar in meaning to: GNN", PaperExplanation.Describe(r)));
    }
}
