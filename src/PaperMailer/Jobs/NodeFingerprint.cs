using System.Security.Cryptography;
using System.Text;

namespace PaperMailer.Jobs;

/// <summary>
/// What a node sends with, reduced to three digests that nodes of one cluster must share: the templates (every .sbn
/// file's path under the folder and its content, so two copies of one folder agree wherever they live), the
/// signing key behind unsubscribe and manage links (its SHA-256: the key itself never leaves the node), and the DKIM
/// signing identity (domain, selector, public key: what recipients verify against, so two PEM files of one key agree).
/// </summary>
public static class NodeFingerprint
{
    public static string OfTemplates(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        IEnumerable<(string Relative, string Full)> files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.sbn", SearchOption.AllDirectories)
                .Select(f => (Path.GetRelativePath(directory, f).Replace('\\', '/'), f))
                .OrderBy(f => f.Item1, StringComparer.Ordinal)
            : [];
        foreach (var (relative, full) in files)
        {
            var content = File.ReadAllBytes(full);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{content.Length}\0"));
            hash.AppendData(content);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string OfSigningKey(byte[] key) =>
        // A label first, so this digest is of no use as anything but a comparison between nodes.
        Convert.ToHexStringLower(SHA256.HashData([.. "papermailer-cluster-fingerprint\0"u8, .. key]));

    public static string OfDkim(string signingIdentity) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"papermailer-cluster-dkim\0{signingIdentity}")));
}
