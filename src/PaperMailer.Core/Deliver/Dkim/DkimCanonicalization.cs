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
                Write(output, "\r\n"u8);
            }

            WriteCollapsed(trimmed, output);
            Write(output, "\r\n"u8);
        }

    }

    private static void WriteCollapsed(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        while (!line.IsEmpty)
        {
            int space = line.IndexOfAny((byte)' ', (byte)'\t');
            if (space < 0)
            {
                Write(output, line);
                return;
            }

            Write(output, line[..space]);
            Write(output, " "u8);
            line = line[space..].TrimStart(" \t"u8);
        }
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
