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

    public int Count { get; }

    public int Dimensions { get; }

    public ReadOnlySpan<float> Row(int paper) => _rows.AsSpan(paper * Dimensions, Dimensions);

    /// <summary>Every paper's similarity to <paramref name="vector"/> (a keyword's, or a profile's mean).</summary>
    public void Similarities(ReadOnlySpan<float> vector, Span<float> target) => VectorMath.DotEach(vector, _rows, target[..Count]);
}
