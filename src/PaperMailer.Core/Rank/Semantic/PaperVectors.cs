namespace PaperMailer.Rank.Semantic;

/// <summary>
/// The vectors of a set of papers, one row each in the order of the papers they were given for (a
/// <see cref="PaperIndex"/>'s order when ranking), stored end to end so that a profile is compared with every paper in
/// one pass over memory.
/// </summary>
public sealed class PaperVectors
{
    private readonly float[] _rows;

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
