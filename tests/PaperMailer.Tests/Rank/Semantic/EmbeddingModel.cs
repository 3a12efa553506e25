using PaperMailer.Rank.Semantic;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Rank.Semantic;

/// <summary>
/// The real embedding model, loaded once for every test class that needs it (it takes ~400 MB and a second to load).
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    public MiniLmSentenceEmbedder Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}

[RunsForAbout(seconds: 30)]
[CollectionDefinition(nameof(EmbeddingModelCollection))]
public sealed class EmbeddingModelCollection : ICollectionFixture<EmbeddingModel>;
