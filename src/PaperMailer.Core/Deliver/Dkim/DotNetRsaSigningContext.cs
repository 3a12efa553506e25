using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// What MimeKit's DKIM signer hands the canonical header block to (its signing context, a BouncyCastle
/// <see cref="ISigner"/>): hashed incrementally with .NET's SHA-256, then signed with .NET's RSA. One per signature.
/// </summary>
internal sealed class DotNetRsaSigningContext(DkimPrivateKey key) : ISigner
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string AlgorithmName => "SHA-256withRSA";

    // MimeKit initialises only the contexts it creates itself; this one comes ready with its key.
    public void Init(bool forSigning, ICipherParameters parameters)
    {
        if (!forSigning)
        {
            throw new NotSupportedException("This signing context signs; it does not verify.");
        }
    }

    public void Update(byte input) => _hash.AppendData([input]);

    public void BlockUpdate(byte[] input, int inOff, int inLen) => _hash.AppendData(input, inOff, inLen);

    public void BlockUpdate(ReadOnlySpan<byte> input) => _hash.AppendData(input);

    public int GetMaxSignatureSize() => key.KeySizeInBytes;

    /// <summary>The signature; the context is spent afterwards (its hash's native state is released here, not by the finalizer).</summary>
    public byte[] GenerateSignature()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetHashAndReset(digest);
        _hash.Dispose();
        return key.SignSha256Hash(digest);
    }

    public bool VerifySignature(byte[] signature) =>
        throw new NotSupportedException("This signing context signs; it does not verify.");

    public void Reset() => _hash.GetHashAndReset();
}
