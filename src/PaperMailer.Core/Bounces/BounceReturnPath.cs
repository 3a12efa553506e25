using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Subscriptions;

namespace PaperMailer.Bounces;

/// <summary>
/// Per-digest return paths (VERP): "bounces+{deliveryId}-{signature}@domain" from <see cref="BounceOptions.Address"/>.
/// The signature is the first 16 hex digits of an HMAC-SHA256 over the digest's ledger id, with the key behind signed
/// links (Web:SigningKey), so a report naming a return path we did not make is recognised as forged and changes
/// nothing. Lower-case hex, because some mail servers change the case of local parts.
/// </summary>
public sealed class BounceReturnPath
{
    /// <summary>Between the bounce address's local part and the token (Postfix's recipient_delimiter, Exim's local_part_suffix).</summary>
    public const char Delimiter = '+';

    private const int SignatureLength = 16;

    private readonly MailboxAddress? _address;
    private readonly Lazy<byte[]> _key;

    public BounceReturnPath(IOptions<BounceOptions> options, IOptions<WebOptions> web)
    {
        _address = options.Value.HasReturnPath ? MailboxAddress.Parse(options.Value.Address!) : null;
        // Loaded when first needed: commands that never send or read bounces never create a key.
        _key = new Lazy<byte[]>(() => SigningKeyStore.Load(web.Value));
    }

    /// <summary>Whether digests carry a return path of their own (Bounces:Address is set).</summary>
    public bool Enabled => _address is not null;

    /// <summary>The return path for a digest, or null when Bounces:Address is not set.</summary>
    public MailboxAddress? For(long deliveryId) =>
        _address is null ? null : new MailboxAddress("", $"{_address.LocalPart}{Delimiter}{deliveryId.ToString(CultureInfo.InvariantCulture)}-{Sign(deliveryId)}@{_address.Domain}");

    /// <summary>
    /// The digest a return path was made for, or null when the address is not one of ours or its signature is wrong.
    /// Any local part ending in "+{id}-{signature}" is accepted, whatever comes before: a bounce address renamed since
    /// still identifies the digests sent under the old one.
    /// </summary>
    public long? Read(string? address)
    {
        if (string.IsNullOrEmpty(address)) return null;
        int at = address.LastIndexOf('@');
        string local = (at < 0 ? address : address[..at]).ToLowerInvariant();
        int plus = local.LastIndexOf(Delimiter);
        int dash = local.LastIndexOf('-');
        if (plus < 0 || dash < plus) return null;
        if (!long.TryParse(local.AsSpan(plus + 1, dash - plus - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long id)) return null;
        string signature = local[(dash + 1)..];
        return signature.Length == SignatureLength
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(id)), Encoding.ASCII.GetBytes(signature))
            ? id
            : null;
    }

    private string Sign(long deliveryId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.ASCII.GetBytes($"bounce.{deliveryId.ToString(CultureInfo.InvariantCulture)}")))[..SignatureLength];
}
