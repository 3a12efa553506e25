using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// Adds a DKIM-Signature (RFC 6376: rsa-sha256, relaxed/relaxed) to every message the transports send, with the
/// key of Dkim:PrivateKeyFile read once at start. The signature covers the headers mailbox providers look at,
/// including List-Unsubscribe and List-Unsubscribe-Post, which RFC 8058 one-click unsubscribe requires to be signed.
/// When DKIM is not configured, messages are only prepared.
/// </summary>
public sealed class DkimMessageSigner : IDisposable
{
    /// <summary>Signed headers, in this order, when the message has them.</summary>
    public static readonly IReadOnlyList<string> SignedHeaders =
    [
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post",
    ];

    private readonly DkimPrivateKey? _key;
    private readonly DotNetRsaDkimSigner? _signer;
    private readonly string _domain = "";
    private readonly string _selector = "";

    /// <exception cref="InvalidOperationException">The key file cannot be read or holds no RSA key; the message names the setting.</exception>
    public DkimMessageSigner(IOptions<DkimOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        DkimOptions settings = options.Value;
        if (!settings.IsConfigured)
        {
            return;
        }

        _domain = settings.Domain!.Trim();
        _selector = settings.Selector!.Trim();
        _key = DkimPrivateKey.Load(settings.PrivateKeyFile!);
        _signer = new DotNetRsaDkimSigner(_key, _domain, _selector, timeProvider ?? TimeProvider.System);
    }

    public bool IsEnabled => _signer is not null;

    /// <summary>
    /// What a recipient checks a signature against — domain, selector and public key — or empty when DKIM is off.
    /// Two nodes of one cluster must agree on it; it holds nothing secret.
    /// </summary>
    public string SigningIdentity => _key is null ? "" : $"d={_domain}; s={_selector}; {_key.DnsRecordValue}";

    /// <summary>The DNS TXT record that publishes the public key, for `papermailer dkim`.</summary>
    public string DnsRecord() => _key is null
        ? throw new InvalidOperationException("DKIM is not configured: set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile.")
        : DkimDnsRecord.For(_selector, _domain, _key.DnsRecordValue);

    /// <summary>
    /// Prepares the message for the wire and signs it (when configured), in that order: MailKit prepares only
    /// unsigned messages, so a part whose encoding was still open would otherwise be signed in one form and sent in
    /// another. A message that already carries a DKIM-Signature (a send repeated on a fresh connection) is left as is.
    /// </summary>
    public void Sign(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Headers.Contains(HeaderId.DkimSignature))
        {
            return;
        }

        message.Prepare(EncodingConstraint.SevenBit, WireFormat.Options.MaxLineLength);
        if (_signer is null)
        {
            return;
        }

        string[] present = [.. SignedHeaders.Where(name => Has(message, name))];
        _signer.Sign(WireFormat.Options, message, present);
    }

    // MimeKit keeps Content-Type and the other Content-* headers with the body, not the message.
    private static bool Has(MimeMessage message, string name) =>
        (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) ? message.Body?.Headers : message.Headers)?.Contains(name) == true;

    public void Dispose() => _key?.Dispose();
}
