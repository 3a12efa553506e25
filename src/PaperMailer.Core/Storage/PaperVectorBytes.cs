using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PaperMailer.Storage;

/// <summary>A vector as both providers keep it: its numbers as little-endian float32, end to end (1,536 bytes for 384).</summary>
internal static class PaperVectorBytes
{
    public static byte[] Write(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }

    public static float[] Read(byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0) throw new InvalidDataException($"A stored paper vector of {bytes.Length} bytes is not a list of float32 numbers.");
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++) vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return vector;
    }
}
