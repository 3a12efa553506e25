using PaperMailer.Domain;
using PaperMailer.Rank.Semantic;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank.Semantic;

[Collection(nameof(EmbeddingModelCollection))]
public class MiniLmSentenceEmbedderTests(EmbeddingModel model)
{
    private readonly MiniLmSentenceEmbedder _embedder = model.Embedder;

    private static Paper Judged(string id) => JudgedSet.Papers().Single(p => p.Id == id);

    private float Similarity(string a, string b)
    {
        var v = _embedder.Embed([a, b], PaperEmbedder.MaxTokens);
        return VectorMath.Dot(v[0], v[1]);
    }

    [Fact]
    public void A_graph_neural_network_paper_is_closer_to_GNN_message_passing_than_to_speech_synthesis()
    {
        // "Deep Graph Neural Point Process For Learning Temporal Interactive Networks", a real abstract.
        var paper = new PaperEmbedder(_embedder).Embed([Judged("2508.13219")])[0];
        var keywords = _embedder.Embed(["GNN message passing", "speech synthesis", "graph neural networks"], ProfileEmbedder.MaxTokens);
        var (gnn, speech, spelledOut) = (VectorMath.Dot(paper, keywords[0]), VectorMath.Dot(paper, keywords[1]), VectorMath.Dot(paper, keywords[2]));
        var figures = $"GNN message passing {gnn:0.000}, speech synthesis {speech:0.000}, graph neural networks {spelledOut:0.000}";

        // Measured 0.201 and 0.121: the model knows "GNN" only a little (it reads it as "g ##nn"); spelled out, 0.5.
        Assert.True(gnn > speech + 0.05, figures);
        Assert.True(spelledOut > gnn + 0.2, figures);
    }

    [Fact]
    public void Vectors_have_unit_length_and_384_numbers()
    {
        var vector = _embedder.Embed(["retrieval-augmented generation"], 32)[0];

        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(VectorMath.Dot(vector, vector)), 3);
    }

    [Fact]
    public void No_texts_give_no_vectors_and_a_text_without_words_gives_the_zero_vector()
    {
        Assert.Empty(_embedder.Embed([], 32));

        var vectors = _embedder.Embed(["", " \n\t ", "speech synthesis"], 32);

        Assert.All(vectors[0].Concat(vectors[1]), x => Assert.Equal(0f, x));
        Assert.NotEqual(0f, VectorMath.Dot(vectors[2], vectors[2]));
    }

    [Fact]
    public void Line_breaks_and_tabs_are_spaces_to_the_model()
    {
        // The package's tokenizer splits only on spaces and CRLF: without normalising, "neural\nnetworks" would be
        // one unknown word.
        var vectors = _embedder.Embed(["graph neural networks for molecules", "graph\nneural\tnetworks\u00A0 for\r\nmolecules "], 32);

        Assert.Equal(1.0, VectorMath.Dot(vectors[0], vectors[1]), 4);
    }

    [Fact]
    public void A_long_text_is_cut_at_the_token_budget()
    {
        var start = string.Join(' ', Enumerable.Repeat("diffusion models generate images from text prompts.", 30));
        var vectors = _embedder.Embed([start, start + " " + string.Join(' ', Enumerable.Repeat("speech recognition of spoken audio", 60))], 64);

        Assert.Equal(1.0, VectorMath.Dot(vectors[0], vectors[1]), 4);
    }

    [Fact]
    public void A_short_text_is_embedded_whole()
    {
        var vectors = _embedder.Embed(["diffusion models", "diffusion models for speech recognition"], 64);

        Assert.True(VectorMath.Dot(vectors[0], vectors[1]) < 0.99);
    }

    [Fact]
    public void The_model_is_loaded_only_when_something_is_embedded()
    {
        using var embedder = new MiniLmSentenceEmbedder();
        Assert.False(embedder.IsLoaded);

        embedder.Embed([""], 32);
        Assert.False(embedder.IsLoaded);

        embedder.Embed(["speech"], 32);
        Assert.True(embedder.IsLoaded);
    }
}
