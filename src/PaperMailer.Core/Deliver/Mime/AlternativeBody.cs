using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Encodings;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// The body of every email PaperMailer sends: multipart/alternative with the plain text first and the HTML second
/// (clients show the last part they can render, RFC 2046 5.1.4), both UTF-8.
/// </summary>
/// <remarks>
/// Each part is encoded here, once: quoted-printable (readable in the raw message, lines of at most 76 characters),
/// or base64 where that is smaller (text mostly outside ASCII: Cyrillic, Greek, Arabic, CJK abstracts cost three
/// octets per byte in quoted-printable). The encoded bytes are what the DKIM body hash, the SIZE computation, the
/// outbox file and the SMTP DATA all copy, and an encoding already chosen is one <see cref="MimeMessage.Prepare"/>
/// leaves alone: what is signed is exactly what is sent.
/// </remarks>
public static class AlternativeBody
{
    private const int MaxLineLength = 76;   // RFC 2045 6.7 rule 5 and 6.8

    /// <param name="boundarySeed">The Message-ID: the boundary is derived from it, so building the same message twice gives the same bytes.</param>
    public static MultipartAlternative Create(string text, string html, string boundarySeed)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(boundarySeed);
        return new MultipartAlternative(Part("plain", text), Part("html", html)) { Boundary = Boundary(boundarySeed) };
    }

    private static TextPart Part(string subtype, string text)
    {
        // Every line break of the text (CRLF, LF or a lone CR) becomes one line break, written as CRLF, the
        // canonical form of text (RFC 2046 4.1.1).
        string lines = text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : text;
        ContentEncoding encoding = ContentEncoding.QuotedPrintable;
        byte[] encoded = Encode(lines, new QuotedPrintableEncoder(MaxLineLength), out int utf8Length, out int lineBreaks, out int encodedLines);
        if (encoded.Length - encodedLines > Base64Length(utf8Length + lineBreaks))
        {
            // Base64 carries the canonical text itself, so its line breaks are made CRLF before encoding.
            encoding = ContentEncoding.Base64;
            encoded = Encode(lines.Replace("\n", "\r\n", StringComparison.Ordinal), new Base64Encoder(MaxLineLength), out _, out _, out _);
        }
        return new EncodedTextPart(subtype, encoding, encoded);
    }

    // The UTF-8 text and the encoder's worst-case output (three times the text for quoted-printable) are scratch
    // space from the pool; only the encoded part is kept with the message, at its exact length, its line breaks
    // (the encoders write LF) already the CRLF it is written with (see EncodedTextPart).
    private static byte[] Encode(string text, IMimeEncoder encoder, out int utf8Length, out int lineBreaks, out int encodedLines)
    {
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        byte[]? output = null;
        try
        {
            utf8Length = Encoding.UTF8.GetBytes(text, utf8);
            lineBreaks = utf8.AsSpan(0, utf8Length).Count((byte)'\n');
            output = ArrayPool<byte>.Shared.Rent(encoder.EstimateOutputLength(utf8Length));
            int length = encoder.Flush(utf8, 0, utf8Length, output);
            encodedLines = output.AsSpan(0, length).Count((byte)'\n');
            return WithCrlf(output.AsSpan(0, length), encodedLines);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    // Encoded output has no CR of its own (quoted-printable writes it as =0D, base64 in its alphabet), so every LF
    // becomes CRLF; copied a line at a time, searched for in vectors.
    private static byte[] WithCrlf(ReadOnlySpan<byte> lfEncoded, int lineFeeds)
    {
        byte[] crlf = GC.AllocateUninitializedArray<byte>(lfEncoded.Length + lineFeeds);
        Span<byte> rest = crlf;
        while (!lfEncoded.IsEmpty)
        {
            int lineFeed = lfEncoded.IndexOf((byte)'\n');
            if (lineFeed < 0)
            {
                lfEncoded.CopyTo(rest);
                break;
            }

            lfEncoded[..lineFeed].CopyTo(rest);
            rest[lineFeed] = (byte)'\r';
            rest[lineFeed + 1] = (byte)'\n';
            rest = rest[(lineFeed + 2)..];
            lfEncoded = lfEncoded[(lineFeed + 1)..];
        }

        return crlf;
    }

    // Base64 of the CRLF text: 4 characters per 3 bytes plus a line break per 76 characters (counted, like the
    // quoted-printable length it is compared with, as one byte each).
    private static long Base64Length(long crlfTextBytes)
    {
        long characters = (crlfTextBytes + 2) / 3 * 4;
        return characters + (characters + MaxLineLength - 1) / MaxLineLength;
    }

    // "=_" cannot occur in quoted-printable output ("=" is followed by hex digits or a line break) nor in base64
    // ("_" is not in its alphabet), so no line of either part can be taken for a delimiter.
    private static string Boundary(string seed) =>
        "=_pm_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0, 12);
}
