using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// MimeKit's DKIM signer (it canonicalises, hashes the body and writes the DKIM-Signature header) with the RSA
/// signature made by .NET instead of BouncyCastle, through its supported extension point for the signing context,
/// and its t= tag read from the injected clock. Safe for concurrent use: every signature gets a context of its own.
/// </summary>
internal sealed class DotNetRsaDkimSigner : MimeKit.Cryptography.DkimSigner
{
    private readonly DkimPrivateKey _key;
    private readonly TimeProvider _time;

    public DotNetRsaDkimSigner(DkimPrivateKey key, string domain, string selector, TimeProvider time)
        : base(key.BouncyCastleKey, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        _key = key;
        _time = time;
        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
    }

    protected override ISigner CreateSigningContext() => new DotNetRsaSigningContext(_key);

    protected override long GetTimestamp() => _time.GetUtcNow().ToUnixTimeSeconds();
}
