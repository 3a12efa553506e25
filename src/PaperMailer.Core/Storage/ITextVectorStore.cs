namespace PaperMailer.Storage;

/// <summary>
/// Vectors of short texts (profile keywords, topic descriptions) kept across processes, so that a text is embedded once
/// per database rather than once per process start. Keyed by what made the vector (the model and its token cut) and
/// the text exactly as it was embedded: a change of either makes new rows, never a wrong vector. Rows are never
/// replaced (the same model and text always give the same vector).
/// </summary>
public interface ITextVectorStore
{
    /// <summary>
    /// Texts longer than this are not kept (saving skips them, reading finds none): keywords and topic texts are far
    /// shorter, and keys stay small enough for any provider's index.
    /// </summary>
    public const int MaxTextLength = 500;

    /// <summary>The vectors held for those of <paramref name="keys"/> that have one, read in one query.</summary>
    Task<IReadOnlyDictionary<TextVectorKey, float[]>> GetAsync(IReadOnlyCollection<TextVectorKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores the vectors in one transaction; a text already held keeps its vector (another process got there first).</summary>
    Task SaveAsync(IReadOnlyList<TextVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The keys a store may hold a vector for (<see cref="MaxTextLength"/>), each once: what a read looks up.</summary>
    public static List<TextVectorKey> Storable(IEnumerable<TextVectorKey> keys) => keys.Where(k => k.Text.Length <= MaxTextLength).Distinct().ToList();

    /// <summary>The vectors a store keeps of those given, one per key: what a save writes.</summary>
    public static List<TextVector> Storable(IEnumerable<TextVector> vectors) => vectors.Where(v => v.Key.Text.Length <= MaxTextLength).DistinctBy(v => v.Key).ToList();
}

/// <summary>What made a text's vector ("all-MiniLM-L6-v2/32": the model and its token cut) and the text as embedded.</summary>
public sealed record TextVectorKey(string Model, string Text);

public sealed record TextVector(TextVectorKey Key, float[] Vector);
