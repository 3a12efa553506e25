using System.Text;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// Writes "Name: value" folded (RFC 5322 section 2.2.3): a CRLF is inserted before a single space between two
/// words, so unfolding (removing the CRLFs) gives back exactly the value that was written.
/// </summary>
internal static class HeaderFolder
{
    public const int PreferredLineLength = 78;   // RFC 5322 2.1.1 SHOULD, without CRLF
    public const int MaxLineLength = 998;        // RFC 5322 2.1.1 MUST, without CRLF

    public static void Append(StringBuilder output, string name, string value)
    {
        output.Append(name).Append(':');
        int column = name.Length + 1;
        int segmentStart = 0;
        while (segmentStart < value.Length)
        {
            int segmentEnd = NextFoldPoint(value, segmentStart + 1);
            int segmentLength = segmentEnd - segmentStart;
            bool lineHasWords = segmentStart > 0;
            if (lineHasWords && column + segmentLength > PreferredLineLength)
            {
                output.Append("\r\n");
                column = 0;
            }

            if (column + segmentLength > MaxLineLength)
            {
                throw new ArgumentException(
                    $"Header {name} has a word of {segmentLength} characters: it cannot be folded to fit in {MaxLineLength} octets per line.");
            }

            output.Append(value, segmentStart, segmentLength);
            column += segmentLength;
            segmentStart = segmentEnd;
        }

        output.Append("\r\n");
    }

    /// <summary>"Name: value" with the space after the colon, the usual form.</summary>
    public static void AppendField(StringBuilder output, string name, string value) => Append(output, name, " " + value);

    // A fold point is a single space between two non-space characters: folding there never leaves a line of
    // only whitespace, and the space itself becomes the continuation line's leading whitespace.
    private static int NextFoldPoint(string value, int from)
    {
        for (int i = from; i < value.Length - 1; i++)
        {
            if (value[i] == ' ' && value[i - 1] != ' ' && value[i + 1] != ' ')
            {
                return i;
            }
        }

        return value.Length;
    }
}
