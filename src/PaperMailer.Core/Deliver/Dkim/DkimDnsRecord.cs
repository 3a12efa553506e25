using System.Security.Cryptography;
using System.Text;

namespace PaperMailer.Deliver.Dkim;

/// <summary>The DNS TXT record (RFC 6376 3.6.1) that publishes a DKIM public key.</summary>
public static class DkimDnsRecord
{
    // One DNS character-string holds at most 255 octets; longer TXT data is split into several quoted strings.
    private const int MaxStringLength = 255;

    /// <summary>The record's data without quoting: "v=DKIM1; k=rsa; p=MIIB...".</summary>
    public static string Value(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>A zone-file line: "papermailer._domainkey.example.org. IN TXT ( "v=DKIM1; k=rsa; p=..." "..." )".</summary>
    /// <param name="value">The record's data, from <see cref="Value"/>.</param>
    public static string For(string selector, string domain, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var output = new StringBuilder($"{selector}._domainkey.{domain.TrimEnd('.')}. IN TXT (");
        for (int i = 0; i < value.Length; i += MaxStringLength)
        {
            output.Append(" \"").Append(value, i, Math.Min(MaxStringLength, value.Length - i)).Append('"');
        }

        return output.Append(" )").ToString();
    }
}
