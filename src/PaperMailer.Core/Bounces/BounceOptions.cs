using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Bounces;

public enum MailboxSecurity { None, StartTls, SslOnConnect }

/// <summary>
/// Where bounces and complaints come back and how they are read. Both halves are off by default: without
/// <see cref="Address"/> digests keep the From address as their envelope sender; without <see cref="Host"/> no
/// mailbox is read.
/// </summary>
public sealed class BounceOptions
{
    public const string SectionName = "Bounces";

    /// <summary>
    /// The bounce address, e.g. "bounces@example.org". When set, each digest's envelope sender (return path) is
    /// "bounces+{digest}-{signature}@example.org": the mail server that refuses or delays it, and a mailbox provider's
    /// feedback loop, report to that address, and the part after "+" says which digest it was. Empty (the default)
    /// keeps the From address as the envelope sender.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>IMAP server of the mailbox that receives what comes back to <see cref="Address"/>. Empty (the default): no mailbox is read.</summary>
    public string? Host { get; set; }

    /// <summary>IMAP port. Default 993 (IMAP over TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary>None (plain, only for a server on this machine), StartTls (usually port 143) or SslOnConnect (usually 993). Default SslOnConnect.</summary>
    public MailboxSecurity Security { get; set; } = MailboxSecurity.SslOnConnect;

    /// <summary>User name for the mailbox.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for the mailbox. Set it through the environment (Bounces__Password), never in a file.</summary>
    public string? Password { get; set; }

    /// <summary>The folder to read. Default "INBOX".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Folder { get; set; } = "INBOX";

    /// <summary>How often the service reads the mailbox. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed for each exchange with the server (connecting, logging in, fetching or flagging one message). Default 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Accept any server certificate. Only for test servers with self-signed certificates. Default false.</summary>
    public bool SkipCertificateValidation { get; set; }

    /// <summary>Whether digests carry a per-digest return path.</summary>
    public bool HasReturnPath => !string.IsNullOrWhiteSpace(Address);

    /// <summary>Whether a mailbox is configured to read.</summary>
    public bool HasMailbox => !string.IsNullOrWhiteSpace(Host);
}
