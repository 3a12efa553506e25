namespace PaperMailer.Storage;

public static class SubscriberEmails
{
    /// <summary>Addresses compare case-insensitively: two rows for Ann@x.org and ann@x.org would mean two digests.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
