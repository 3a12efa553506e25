namespace PaperMailer.Render;

/// <summary>What every rendered email part goes through before it becomes a message.</summary>
internal static class EmailText
{
    /// <summary>A subject is one header line: a newline from a template or a paper title must never start a new header.</summary>
    public static string SingleLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    /// <summary>Bodies use "\n" throughout; the transport writes the line endings the protocol wants.</summary>
    public static string Newlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
