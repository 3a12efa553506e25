using System.Buffers;
using System.Text;

namespace PaperMailer.Deliver.Dkim;

/// <summary>The "relaxed" canonicalisation of RFC 6376 section 3.4.2 (headers) and 3.4.4 (body).</summary>
internal static class DkimCanonicalization
{
    /// <summary>
    /// "Name:value" with the name lower-cased, the value unfolded, runs of spaces and tabs made one space, and
    /// whitespace at either end of the value and around the colon removed. No CRLF at the end.
    /// </summary>
    public static string RelaxedHeader(string name, string value)
    {
        var output = new StringBuilder(name.Length + value.Length + 1);
        output.Append(name.Trim(' ', '\t').ToLowerInvariant()).Append(':');
        int valueStart = output.Length;
        bool pendingSpace = false;
        foreach (char c in value)
        {
            if (c is '\r' or '\n')
            {
                continue;
            }

            if (c is ' ' or '\t')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && output.Length > valueStart)
            {
                output.Append(' ');
            }

            pendingSpace = false;
            output.Append(c);
        }

        return output.ToString();
    }

    /// <summary>
    /// The body with runs of spaces and tabs made one space, whitespace at line ends removed, and empty lines at
    /// the end removed; a non-empty result ends with one CRLF.
    /// </summary>
    public static void RelaxedBody(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(MaxRelaxedBodyLength(body.Length));
        output.Advance(RelaxedBody(body, destination));
    }

    /// <summary>The canonical body can only be shorter than the body, except for a CRLF added to an unterminated last line.</summary>
    public static int MaxRelaxedBodyLength(int bodyLength) => bodyLength + 2;

    /// <summary>
    /// Writes the relaxed body into <paramref name="destination"/> (at least <see cref="MaxRelaxedBodyLength"/>
    /// long) and returns its length. Whole lines are copied at once unless they hold a tab or a run of spaces,
    /// which quoted-printable and base64 bodies rarely do.
    /// </summary>
    public static int RelaxedBody(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        int written = 0;
        int pendingEmptyLines = 0;
        while (!body.IsEmpty)
        {
            int end = body.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 2)..];
            ReadOnlySpan<byte> trimmed = line.TrimEnd(" \t"u8);
            if (trimmed.IsEmpty)
            {
                pendingEmptyLines++;
                continue;
            }

            for (; pendingEmptyLines > 0; pendingEmptyLines--)
            {
                Append("\r\n"u8, destination, ref written);
            }

            if (trimmed.IndexOf((byte)'\t') < 0 && trimmed.IndexOf("  "u8) < 0)
            {
                Append(trimmed, destination, ref written);
            }
            else
            {
                AppendCollapsed(trimmed, destination, ref written);
            }

            Append("\r\n"u8, destination, ref written);
        }

        return written;
    }

    private static void AppendCollapsed(ReadOnlySpan<byte> line, Span<byte> destination, ref int written)
    {
        while (!line.IsEmpty)
        {
            int space = line.IndexOfAny((byte)' ', (byte)'\t');
            if (space < 0)
            {
                Append(line, destination, ref written);
                return;
            }

            Append(line[..space], destination, ref written);
            Append(" "u8, destination, ref written);
            line = line[space..].TrimStart(" \t"u8);
        }
    }

    private static void Append(ReadOnlySpan<byte> bytes, Span<byte> destination, ref int written)
    {
        bytes.CopyTo(destination[written..]);
        written += bytes.Length;
    }
}
