namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Turns texts into unit-length vectors whose dot product is their similarity in meaning (cosine, −1 to 1).
/// </summary>
public interface ISentenceEmbedder
{
    /// <summary>The model's name: stored with every paper vector, so that vectors of another model are never compared.</summary>
    string Model { get; }

    /// <summary>Length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>
    /// One vector per text, in order, each text cut after <paramref name="maxTokens"/> model tokens. A text with no
    /// words gets the zero vector (similar to nothing); no texts give no vectors.
    /// </summary>
    float[][] Embed(IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken = default);
}
