namespace PaperMailer.Deliver.Smtp;

/// <summary>The SMTP extensions a server announced in its EHLO reply (RFC 5321 4.1.1.1).</summary>
public sealed class SmtpCapabilities
{
    private readonly Dictionary<string, string> _keywords = new(StringComparer.OrdinalIgnoreCase);

    public static SmtpCapabilities FromEhloReply(SmtpReply reply)
    {
        var capabilities = new SmtpCapabilities();
        // The first line is the server's greeting name; each further line is "KEYWORD [parameters]".
        foreach (string line in reply.Lines.Skip(1))
        {
            string trimmed = line.Trim();
            int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            string keyword = space < 0 ? trimmed : trimmed[..space];
            if (keyword.Length > 0)
            {
                capabilities._keywords[keyword] = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            }
        }

        // Some old servers announce AUTH as "AUTH=LOGIN PLAIN" as well as, or instead of, "AUTH LOGIN PLAIN".
        if (!capabilities._keywords.ContainsKey("AUTH")
            && capabilities._keywords.Keys.FirstOrDefault(k => k.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase)) is { } legacy)
        {
            capabilities._keywords["AUTH"] = (legacy[5..] + " " + capabilities._keywords[legacy]).Trim();
        }

        return capabilities;
    }

    public bool Pipelining => Has("PIPELINING");

    public bool StartTls => Has("STARTTLS");

    public bool EightBitMime => Has("8BITMIME");

    public bool SmtpUtf8 => Has("SMTPUTF8");

    public bool Size => Has("SIZE");

    /// <summary>The largest message the server accepts, when it said; null when it gave no limit (or "SIZE 0").</summary>
    public long? MaxSize =>
        _keywords.TryGetValue("SIZE", out string? value) && long.TryParse(value, out long size) && size > 0 ? size : null;

    public IReadOnlySet<string> AuthMechanisms =>
        _keywords.TryGetValue("AUTH", out string? value)
            ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>();

    public bool Has(string keyword) => _keywords.ContainsKey(keyword);
}
