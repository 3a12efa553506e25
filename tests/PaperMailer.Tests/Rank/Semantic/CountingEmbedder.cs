using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Semantic;

/// <summary>
/// The real model counting the calls and texts it is given; or, made by <see cref="Failing"/>, a model that cannot be
/// used: every call throws, as a damaged model file or a missing native library would.
/// </summary>
public sealed class CountingEmbedder(ISentenceEmbedder? inner) : ISentenceEmbedder
{
    private int _calls;
    private int _texts;

    public static CountingEmbedder Failing() => new(inner: null);

    public int Calls => _calls;

    public int Texts
    {
        get => _texts;
        set => _texts = value;
    }

    public string Model => "all-MiniLM-L6-v2";

    public int Dimensions => MiniLmSentenceEmbedder.VectorLength;

    public float[][] Embed(IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _texts, texts.Count);
        return inner?.Embed(texts, maxTokens, cancellationToken) ?? throw new InvalidOperationException("The model file is damaged.");
    }
}
