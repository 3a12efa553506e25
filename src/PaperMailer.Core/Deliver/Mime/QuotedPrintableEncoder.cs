using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// Quoted-printable for text bodies (RFC 2045 section 6.7). Line breaks of the text stay real CRLF line breaks,
/// as rule 4 requires for text types, so the encoded body reads like the text and line-based tools see its lines.
/// </summary>
internal static class QuotedPrintableEncoder
{
    // Rule 5: encoded lines are at most 76 characters, not counting CRLF but counting a soft break's "=".
    private const int MaxLineLength = 76;

    public static void Encode(string text, StringBuilder output)
    {
        int lineStart = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            bool atEnd = i == text.Length;
            if (!atEnd && text[i] != '\r' && text[i] != '\n')
            {
                continue;
            }

            EncodeLine(Encoding.UTF8.GetBytes(text, lineStart, i - lineStart), output);
            if (atEnd)
            {
                break;
            }

            // Every line break of the input (CRLF, LF or a lone CR) becomes CRLF, the canonical form of text (RFC 2046 4.1.1).
            output.Append("\r\n");
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            lineStart = i + 1;
        }
    }

    private static void EncodeLine(byte[] line, StringBuilder output)
    {
        int column = 0;
        for (int i = 0; i < line.Length; i++)
        {
            bool lastOfLine = i == line.Length - 1;
            bool hex = NeedsHex(line, i, lastOfLine, column);
            int width = hex ? 3 : 1;

            // Leave room for the soft break's "=" unless this is the line's last character.
            if (column + width > (lastOfLine ? MaxLineLength : MaxLineLength - 1))
            {
                output.Append("=\r\n");
                column = 0;
                hex = NeedsHex(line, i, lastOfLine, column);
                width = hex ? 3 : 1;
            }

            if (hex)
            {
                output.Append('=').Append(HexDigit(line[i] >> 4)).Append(HexDigit(line[i] & 0xF));
            }
            else
            {
                output.Append((char)line[i]);
            }

            column += width;
        }
    }

    private static bool NeedsHex(byte[] line, int i, bool lastOfLine, int column)
    {
        byte b = line[i];
        if (b is (byte)' ' or (byte)'\t')
        {
            // Rule 3: whitespace at the end of a line could be stripped in transit.
            return lastOfLine;
        }

        if (b is < 33 or > 126 or (byte)'=')
        {
            return true;
        }

        if (column == 0)
        {
            // A lone "." ends SMTP DATA and some gateways mangle leading dots; "From " at a line start is
            // rewritten to ">From " by mbox tools. Encoding the first character keeps both intact everywhere.
            return b == (byte)'.' || (b == (byte)'F' && line.AsSpan(i).StartsWith("From "u8));
        }

        return false;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
