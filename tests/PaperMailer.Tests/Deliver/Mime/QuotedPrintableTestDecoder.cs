using System.Text;

namespace PaperMailer.Tests.Deliver.Mime;

/// <summary>
/// A deliberately plain quoted-printable decoder (RFC 2045 6.7), written apart from the encoder so the tests
/// do not trust the encoder's own logic: "=XX" is a byte, "=" at a line end joins lines, CRLF stays CRLF.
/// </summary>
internal static class QuotedPrintableTestDecoder
{
    public static string Decode(string encoded)
    {
        var bytes = new List<byte>();
        string[] lines = encoded.Split("\r\n");
        for (int l = 0; l < lines.Length; l++)
        {
            string line = lines[l];
            bool soft = line.EndsWith('=');
            if (soft)
            {
                line = line[..^1];
            }

            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '=')
                {
                    bytes.Add(Convert.ToByte(line.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)line[i]);
                }
            }

            if (!soft && l < lines.Length - 1)
            {
                bytes.Add((byte)'\r');
                bytes.Add((byte)'\n');
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
