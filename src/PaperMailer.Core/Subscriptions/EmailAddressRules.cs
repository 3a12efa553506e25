using MimeKit;

namespace PaperMailer.Subscriptions;

/// <summary>
/// What PaperMailer accepts as a subscriber address: one plain mailbox (no display name, no comments),
/// at most 254 characters with a local part of at most 64 (RFC 5321 limits), and a domain with a dot.
/// </summary>
public static class EmailAddressRules
{
    public const int MaxLength = 254;

    /// <summary>Returns null when the address is acceptable, otherwise the reason in one sentence.</summary>
    public static string? Problem(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return "the email address is empty";
        var text = email.Trim();
        if (text.Length > MaxLength) return $"the email address is longer than {MaxLength} characters";
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return "the email address contains spaces or control characters";
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1) return "the email address needs a name, an @ and a domain";
        if (at > 64) return "the part before the @ is longer than 64 characters";
        var domain = text[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
            return $"the domain \"{domain}\" is not a valid mail domain";
        // Parsed as every message PaperMailer sends parses it, so an accepted address is one MimeKit can write.
        if (!MailboxAddress.TryParse(text, out var parsed) || parsed.Address != text || !string.IsNullOrEmpty(parsed.Name))
            return "the email address is not a valid mailbox";
        return null;
    }
}
