using System.Text.RegularExpressions;
using MimeKit;

namespace PaperMailer.Testing;

/// <summary>
/// The bounce and complaint samples in BounceSamples/ (README.md there says where each comes from), loaded with the
/// return path they carry replaced by one a test made for its own digest.
/// </summary>
public static partial class BounceSamples
{
    /// <summary>Postfix's "unknown user" DSN: Action failed, Status 5.1.1, the whole message returned.</summary>
    public const string HardBounce = "postfix-hard-bounce.eml";

    /// <summary>Postfix's delay warning: Action delayed, Status 4.4.1, the message's headers only.</summary>
    public const string DelayWarning = "postfix-delay-warning.eml";

    /// <summary>An RFC 5965 abuse report about a digest.</summary>
    public const string Complaint = "arf-abuse-complaint.eml";

    /// <summary>An out-of-office reply: not a report.</summary>
    public const string AutoReply = "auto-reply.eml";

    /// <summary>The return path written in each sample.</summary>
    public static string ReturnPathIn(string sample) => ReturnPath().Match(Text(sample)).Value;

    /// <summary>The reported digest's Message-ID written in each sample (without angle brackets).</summary>
    public static string MessageIdIn(string sample) => DigestMessageId().Match(Text(sample)).Value;

    public static string Text(string sample) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BounceSamples", sample));

    /// <summary>
    /// The sample, with every occurrence of its return path replaced by <paramref name="returnPath"/>, its digest
    /// Message-ID by <paramref name="messageId"/> (without angle brackets), and its own Message-ID made unique (so two
    /// tests appending the same sample do not look like one report read twice).
    /// </summary>
    public static MimeMessage Load(string sample, string? returnPath = null, string? messageId = null, Func<string, string>? edit = null)
    {
        var text = Text(sample);
        if (returnPath is not null) text = ReturnPath().Replace(text, returnPath);
        if (messageId is not null) text = DigestMessageId().Replace(text, messageId);
        text = OwnMessageId().Replace(text, m => $"{m.Groups[1].Value}<{Guid.NewGuid():N}.{m.Groups[2].Value}", 1);
        if (edit is not null) text = edit(text);
        return MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [GeneratedRegex(@"bounces\+\d+-[0-9a-f]{16}@papermailer\.example")]
    private static partial Regex ReturnPath();

    [GeneratedRegex(@"pm\.\d{8}\.\d+\.[0-9a-f]{12}@papermailer\.example")]
    private static partial Regex DigestMessageId();

    // The report's own Message-ID: the first such header, at the top of the file.
    [GeneratedRegex(@"^(Message-I[Dd]: )<([^>]+>)", RegexOptions.Multiline)]
    private static partial Regex OwnMessageId();
}
