using System.Collections.Concurrent;
using PaperMailer.Domain;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// The vectors of a set of papers, one row each in the order of the papers they were given for (for ranking: a
/// <see cref="PaperIndex"/>'s order, which is by arXiv id, not the order papers were added; use <see cref="For"/>),
/// stored end to end so that a profile is compared with every paper in one pass over memory.
/// </summary>
public sealed class PaperVectors
{
    private readonly float[] _rows;

    /// <summary>
    /// The vectors of an index's papers in its order. A paper without a vector gets the zero vector: it is similar
    /// to nothing, so it can still enter on its lexical score alone.
    /// </summary>
    public static PaperVectors For(PaperIndex index, Func<Paper, float[]?> vectorOf, int dimensions) =>
        new(index.Papers.Select(p => vectorOf(p.Paper) ?? new float[dimensions]).ToList(), dimensions);

    public PaperVectors(IReadOnlyList<float[]> vectors, int dimensions)
    {
        Dimensions = dimensions;
        Count = vectors.Count;
        _rows = new float[Count * dimensions];
        for (var i = 0; i < Count; i++)
        {
            if (vectors[i].Length != dimensions) throw new ArgumentException($"Paper vector {i} has {vectors[i].Length} numbers, not {dimensions}.", nameof(vectors));
            vectors[i].CopyTo(_rows, i * dimensions);
        }
    }

    // Every paper's similarity to a keyword vector, by the vector's identity: the profile embedder hands out one instance
    // per keyword text, and profiles share keywords, so ranking many profiles against these papers computes each
    // keyword's 384-number dot products with every paper once. Bounded in numbers kept (64 MB), then started again.
    private const int MaxCachedNumbers = 16 * 1024 * 1024;
    private readonly ConcurrentDictionary<float[], float[]> _toKeyword = new(ReferenceEqualityComparer.Instance);
    private int _cachedNumbers;

    public int Count { get; }

    public int Dimensions { get; }

    public ReadOnlySpan<float> Row(int paper) => _rows.AsSpan(paper * Dimensions, Dimensions);

    /// <summary>Every paper's similarity to <paramref name="vector"/> (a keyword's, or a profile's mean).</summary>
    public void Similarities(ReadOnlySpan<float> vector, Span<float> target) => VectorMath.DotEach(vector, _rows, target[..Count]);

    /// <summary>
    /// Every paper's similarity to a keyword's vector, computed once per vector instance and kept (read-only: do not
    /// change the array).
    /// </summary>
    public float[] SimilaritiesTo(float[] keywordVector)
    {
        if (_toKeyword.TryGetValue(keywordVector, out var known)) return known;
        var similarities = new float[Count];
        Similarities(keywordVector, similarities);
        if (Interlocked.Add(ref _cachedNumbers, Count) > MaxCachedNumbers)
        {
            _toKeyword.Clear();
            Interlocked.Exchange(ref _cachedNumbers, Count);
        }
        return _toKeyword.GetOrAdd(keywordVector, similarities);
    }
}
