using System.Text.RegularExpressions;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// One SMTP reply (RFC 5321 4.2): the three-digit code, the enhanced status code (RFC 3463) when the server gave
/// one, and the text of every line. <see cref="ToString"/> is what the ledger records: "550 5.1.1 User unknown".
/// </summary>
public sealed partial record SmtpReply(int Code, string? EnhancedStatus, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTemporary => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>The lines after the code, joined; without the enhanced status code, which <see cref="ToString"/> puts first.</summary>
    public string Text => string.Join(" ", Lines);

    public override string ToString() =>
        EnhancedStatus is null ? $"{Code} {Text}".TrimEnd() : $"{Code} {EnhancedStatus} {Text}".TrimEnd();

    /// <summary>Builds a reply from its raw lines ("250-first", "250 last"), taking the enhanced status from the first line.</summary>
    public static SmtpReply FromLines(int code, IReadOnlyList<string> rawTexts)
    {
        string? enhanced = null;
        var lines = new List<string>(rawTexts.Count);
        foreach (string raw in rawTexts)
        {
            string text = raw;
            // Servers repeat the enhanced code on each line of a multi-line reply; keep it once.
            if (code is >= 200 and < 600 && EnhancedStatusPattern().Match(text) is { Success: true } match
                && match.Groups[1].Value[0] - '0' == code / 100)
            {
                enhanced ??= match.Groups[1].Value;
                text = text[match.Length..];
            }

            lines.Add(text);
        }

        return new SmtpReply(code, enhanced, lines);
    }

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?: |$)")]
    private static partial Regex EnhancedStatusPattern();
}
