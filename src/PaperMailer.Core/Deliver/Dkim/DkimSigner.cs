using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PaperMailer.Deliver.Dkim;

/// <summary>
/// Adds a DKIM-Signature (RFC 6376: rsa-sha256, relaxed/relaxed) to a message written by the MIME writer. The
/// signature covers the headers mailbox providers look at, including List-Unsubscribe and List-Unsubscribe-Post,
/// which RFC 8058 one-click unsubscribe requires to be signed. When DKIM is not configured messages pass unchanged.
/// </summary>
public sealed class DkimSigner : IDisposable
{
    /// <summary>Signed headers, in this order, when the message has them.</summary>
    public static readonly IReadOnlyList<string> SignedHeaders =
    [
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post",
    ];

    private const int SignatureLineLength = 72;

    private readonly RSA? _key;
    // RSA objects are not documented as safe for concurrent use; each signing takes one of its own from here.
    private readonly ConcurrentBag<RSA> _signingKeys = [];
    private readonly string _keyPem = "";
    private readonly string _domain = "";
    private readonly string _selector = "";
    private readonly TimeProvider _time;

    public DkimSigner(IOptions<DkimOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = timeProvider ?? TimeProvider.System;
        DkimOptions settings = options.Value;
        if (!settings.IsConfigured)
        {
            return;
        }

        _domain = settings.Domain!.Trim();
        _selector = settings.Selector!.Trim();
        (_key, _keyPem) = LoadKey(settings.PrivateKeyFile!);
    }

    public bool IsEnabled => _key is not null;

    /// <summary>The DNS TXT record that publishes the public key, for `papermailer dkim`.</summary>
    public string DnsRecord()
    {
        if (_key is null)
        {
            throw new InvalidOperationException("DKIM is not configured: set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile.");
        }

        return DkimDnsRecord.For(_selector, _domain, _key);
    }

    /// <summary>The message with a DKIM-Signature header in front; the message itself unchanged.</summary>
    public byte[] Sign(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_key is null)
        {
            return message;
        }

        int split = message.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            throw new ArgumentException("The message has no blank line between its header and body.", nameof(message));
        }

        var fields = HeaderFields(Encoding.UTF8.GetString(message, 0, split + 2));
        string bodyHash = BodyHash(message.AsSpan(split + 4));

        // Each signed name takes the last instance not yet used, from the bottom up (RFC 6376 5.4.2).
        var used = new HashSet<int>();
        var signed = new List<string>();
        var canonical = new StringBuilder();
        foreach (string name in SignedHeaders)
        {
            int index = fields.Count - 1;
            while (index >= 0 && (used.Contains(index) || !string.Equals(fields[index].Name.Trim(), name, StringComparison.OrdinalIgnoreCase)))
            {
                index--;
            }

            if (index < 0)
            {
                continue;
            }

            used.Add(index);
            signed.Add(name.ToLowerInvariant());
            canonical.Append(DkimCanonicalization.RelaxedHeader(fields[index].Name, fields[index].Value)).Append("\r\n");
        }

        long timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        string header =
            $"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={_domain}; s={_selector};\r\n" +
            $"\tt={timestamp.ToString(CultureInfo.InvariantCulture)}; h={string.Join(':', signed)};\r\n" +
            $"\tbh={bodyHash};\r\n" +
            "\tb=";
        canonical.Append(DkimCanonicalization.RelaxedHeader("DKIM-Signature", header["DKIM-Signature:".Length..]));
        if (!_signingKeys.TryTake(out RSA? signingKey))
        {
            signingKey = RSA.Create();
            signingKey.ImportFromPem(_keyPem);
        }

        byte[] signature = signingKey.SignData(Encoding.UTF8.GetBytes(canonical.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _signingKeys.Add(signingKey);

        var output = new StringBuilder(header, header.Length + 400);
        string b = Convert.ToBase64String(signature);
        // Whitespace inside b= is ignored by verifiers (RFC 6376 3.5), so the value is folded to keep lines short.
        for (int i = 0; i < b.Length; i += SignatureLineLength)
        {
            if (i > 0)
            {
                output.Append("\r\n\t ");
            }

            output.Append(b, i, Math.Min(SignatureLineLength, b.Length - i));
        }

        output.Append("\r\n");
        byte[] prefix = Encoding.ASCII.GetBytes(output.ToString());
        return [.. prefix, .. message];
    }

    // The canonical body goes into a pooled buffer and is hashed in one call: no per-message allocation of a
    // body-sized buffer, and no growth copies.
    private static string BodyHash(ReadOnlySpan<byte> body)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DkimCanonicalization.MaxRelaxedBodyLength(body.Length));
        try
        {
            int length = DkimCanonicalization.RelaxedBody(body, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToBase64String(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        _key?.Dispose();
        while (_signingKeys.TryTake(out RSA? key))
        {
            key.Dispose();
        }
    }

    private static (RSA Key, string Pem) LoadKey(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Dkim:PrivateKeyFile \"{path}\" cannot be read: {e.Message}", e);
        }

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(text);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new InvalidOperationException($"Dkim:PrivateKeyFile \"{path}\" holds no RSA private key in PEM form (create one with `openssl genrsa -out dkim.pem 2048`).", e);
        }

        return (key, text);
    }

    private static List<(string Name, string Value)> HeaderFields(string header)
    {
        var fields = new List<(string Name, string Value)>();
        foreach (string line in header.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] = (fields[^1].Name, fields[^1].Value + "\r\n" + line);
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.Add((line[..colon], line[(colon + 1)..]));
            }
        }

        return fields;
    }
}
