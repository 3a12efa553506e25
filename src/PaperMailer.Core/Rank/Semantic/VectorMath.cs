using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Dot products of embedding vectors with the CPU's SIMD width: ranking does one per paper per profile. Compiled fully
/// optimised at once, as vector code must be to be vector code (see <see cref="ScoreVectors"/>).
/// </summary>
public static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vectors of {a.Length} and {b.Length} numbers cannot be compared.", nameof(b));
        var sum = Vector<float>.Zero;
        var wide = MemoryMarshal.Cast<float, Vector<float>>(a);
        var wideB = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < wide.Length; i++) sum += wide[i] * wideB[i];
        var total = Vector.Sum(sum);
        for (var i = wide.Length * Vector<float>.Count; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary><paramref name="target"/>[i] = the dot product of <paramref name="vector"/> with row i of <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotEach(ReadOnlySpan<float> vector, ReadOnlySpan<float> rows, Span<float> target)
    {
        var length = vector.Length;
        if (rows.Length != target.Length * length) throw new ArgumentException($"{rows.Length} numbers are not {target.Length} rows of {length}.", nameof(rows));
        for (var i = 0; i < target.Length; i++) target[i] = Dot(vector, rows.Slice(i * length, length));
    }

    /// <summary>The element-wise mean of equally long vectors (the zero vector of that length when there are none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Mean(IReadOnlyList<float[]> vectors, int length)
    {
        var mean = new float[length];
        if (vectors.Count == 0) return mean;
        var span = mean.AsSpan();
        foreach (var v in vectors)
        {
            var wide = MemoryMarshal.Cast<float, Vector<float>>(span);
            var add = MemoryMarshal.Cast<float, Vector<float>>(v.AsSpan());
            for (var i = 0; i < wide.Length; i++) wide[i] += add[i];
            for (var i = wide.Length * Vector<float>.Count; i < length; i++) span[i] += v[i];
        }
        var scale = 1f / vectors.Count;
        for (var i = 0; i < length; i++) span[i] *= scale;
        return mean;
    }
}
