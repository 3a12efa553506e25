using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Deliver;

public enum SmtpSecurity { None, StartTls, SslOnConnect }

public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    /// <summary>SMTP server host name. Default "localhost".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "localhost";

    /// <summary>SMTP port. Default 587 (submission).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// None (plain, only for servers on this machine), StartTls (upgrade before authenticating, usually port 587) or
    /// SslOnConnect (TLS from the first byte, usually port 465). Default StartTls.
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name for AUTH; empty means no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for AUTH. Set it through the environment (Smtp__Password), never in a file.</summary>
    public string? Password { get; set; }

    /// <summary>Connections used side by side. Default 4.</summary>
    [Range(1, 256)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// Time allowed for each stage: connecting (with the greeting, EHLO and the TLS handshake), authenticating, and
    /// sending one message (every command, the content and the server's replies). Default 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages sent over one connection before it is closed and replaced; 0 means no limit. Default 100.</summary>
    [Range(0, 1_000_000)]
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>Name this machine gives in EHLO; empty means the machine's host name.</summary>
    public string? HeloName { get; set; }

    /// <summary>Accept any server certificate. Only for test servers with self-signed certificates; logged when on. Default false.</summary>
    public bool SkipCertificateValidation { get; set; }
}
