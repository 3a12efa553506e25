using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Semantic;

/// <summary>
/// The real embedding model, loaded once for every test class that needs it (it takes ~400 MB and a second to load).
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    public MiniLmSentenceEmbedder Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(nameof(EmbeddingModelCollection))]
public sealed class EmbeddingModelCollection : ICollectionFixture<EmbeddingModel>;
