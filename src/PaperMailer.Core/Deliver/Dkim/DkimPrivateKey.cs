using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// The RSA private key of Dkim:PrivateKeyFile, read once. Signs SHA-256 hashes with .NET's RSA (PKCS#1 v1.5): a
/// DKIM signature then costs about a tenth of what it costs with BouncyCastle's RSA (bench/PaperMailer.Benchmarks).
/// Also hands MimeKit the same key in BouncyCastle's form, which its signer's constructor asks for.
/// </summary>
internal sealed class DkimPrivateKey : IDisposable
{
    private readonly string _pem;
    // RSA objects are not documented as safe for concurrent use: each signature takes one of its own from here,
    // and they are kept for the next, since importing a key costs more than a signature.
    private readonly ConcurrentBag<RSA> _idle = [];

    private DkimPrivateKey(string pem, RSA first)
    {
        _pem = pem;
        KeySizeInBytes = first.KeySize / 8;
        BouncyCastleKey = DotNetUtilities.GetRsaKeyPair(first).Private;
        DnsRecordValue = DkimDnsRecord.Value(first);
        _idle.Add(first);
    }

    public AsymmetricKeyParameter BouncyCastleKey { get; }

    public int KeySizeInBytes { get; }

    /// <summary>"v=DKIM1; k=rsa; p=MIIB...": the public half, as published in DNS.</summary>
    public string DnsRecordValue { get; }

    /// <summary>What is wrong with the key file, in one sentence naming the setting; null when it holds a usable key.</summary>
    public static string? Problem(string path)
    {
        if (!TryRead(path, out var key, out var problem)) return problem;
        key.Dispose();
        return null;
    }

    /// <exception cref="InvalidOperationException">The file cannot be read or holds no RSA private key; checked at start (DkimOptionsRules), so only a file changed since then.</exception>
    public static DkimPrivateKey Load(string path) =>
        TryRead(path, out var key, out var problem) ? key : throw new InvalidOperationException(problem);

    private static bool TryRead(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DkimPrivateKey? loaded, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        loaded = null;
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"Dkim:PrivateKeyFile \"{path}\" cannot be read: {e.Message}";
            return false;
        }

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            key.Dispose();
            problem = $"Dkim:PrivateKeyFile \"{path}\" holds no RSA private key in PEM form (create one with `openssl genrsa -out dkim.pem 2048`).";
            return false;
        }

        problem = null;
        loaded = new DkimPrivateKey(pem, key);
        return true;
    }

    public byte[] SignSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (!_idle.TryTake(out RSA? key))
        {
            key = RSA.Create();
            key.ImportFromPem(_pem);
        }

        try
        {
            return key.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _idle.Add(key);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out RSA? key))
        {
            key.Dispose();
        }
    }
}
