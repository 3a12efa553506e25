using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// Base64 for text bodies (RFC 2045 section 6.8) whose quoted-printable form would be larger: text mostly outside
/// ASCII (Cyrillic, Greek, Arabic, CJK abstracts) costs 3 octets per byte in quoted-printable, about 9 per CJK
/// character, against 4 per 3 bytes here.
/// </summary>
internal static class Base64BodyEncoder
{
    // Rule of 6.8: encoded lines are at most 76 characters.
    private const int LineLength = 76;
    private const int BytesPerLine = LineLength / 4 * 3;

    /// <summary>The encoded size, line breaks included, without encoding.</summary>
    public static int EncodedLength(int byteCount)
    {
        int characters = (byteCount + 2) / 3 * 4;
        int lines = (characters + LineLength - 1) / LineLength;
        return characters + Math.Max(0, lines - 1) * 2;
    }

    /// <summary>Encodes the UTF-8 bytes of the text, every line break first made CRLF (the canonical form of text, RFC 2046 4.1.1).</summary>
    public static void Encode(string text, StringBuilder output)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(CanonicalLineBreaks(text));
        Span<char> line = stackalloc char[LineLength];
        for (int offset = 0; offset < bytes.Length; offset += BytesPerLine)
        {
            if (offset > 0)
            {
                output.Append("\r\n");
            }

            Convert.TryToBase64Chars(bytes.AsSpan(offset, Math.Min(BytesPerLine, bytes.Length - offset)), line, out int written);
            output.Append(line[..written]);
        }
    }

    /// <summary>CRLF, LF or a lone CR each become CRLF, as the quoted-printable encoder does.</summary>
    public static string CanonicalLineBreaks(string text)
    {
        if (!text.AsSpan().ContainsAny('\r', '\n'))
        {
            return text;
        }

        // Not string.ReplaceLineEndings: that also turns NEL, LS, PS and FF into CRLF, which are text here.
        var builder = new StringBuilder(text.Length + text.Length / 32);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is not ('\r' or '\n'))
            {
                builder.Append(c);
                continue;
            }

            builder.Append("\r\n");
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }
        }

        return builder.ToString();
    }
}
