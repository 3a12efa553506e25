namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// DKIM signing (RFC 6376) of every message the Smtp and Outbox transports send. Off unless all three keys are set.
/// `papermailer dkim` prints the DNS record to publish for the key.
/// </summary>
public sealed class DkimOptions
{
    public const string SectionName = "Dkim";

    /// <summary>The signing domain (d=), normally the domain of Delivery:From, e.g. "example.org". Default empty (off).</summary>
    public string? Domain { get; set; }

    /// <summary>The selector (s=): the key's DNS name is "{Selector}._domainkey.{Domain}", e.g. "papermailer". Default empty (off).</summary>
    public string? Selector { get; set; }

    /// <summary>
    /// RSA private key in PEM ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY"), relative to the working directory;
    /// 2048 bits recommended. Create one with `openssl genrsa -out dkim.pem 2048`. Default empty (off).
    /// </summary>
    public string? PrivateKeyFile { get; set; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Domain) && !string.IsNullOrWhiteSpace(Selector) && !string.IsNullOrWhiteSpace(PrivateKeyFile);

    public bool IsPartlyConfigured =>
        !IsConfigured && (!string.IsNullOrWhiteSpace(Domain) || !string.IsNullOrWhiteSpace(Selector) || !string.IsNullOrWhiteSpace(PrivateKeyFile));
}
