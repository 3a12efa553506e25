using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Deliver;

public enum TransportKind { Outbox, Smtp }

public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// Outbox (write .eml files; the default) or Smtp (MailKit's SMTP client, a pool of <see cref="SmtpOptions.MaxConnections"/>
    /// connections). Both DKIM-sign when Dkim is configured.
    /// </summary>
    public TransportKind Transport { get; set; } = TransportKind.Outbox;

    /// <summary>Folder for .eml files when Transport is Outbox. Default "outbox".</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutboxDirectory { get; set; } = "outbox";

    /// <summary>From address of every digest, optionally with a display name: "PaperMailer &lt;digest@example.org&gt;".</summary>
    [Required(AllowEmptyStrings = false)]
    public string From { get; set; } = "PaperMailer <digest@papermailer.localhost>";

    /// <summary>
    /// Sends per second across all connections; 0 means no limit. Default 0. On a cluster the limit holds for the
    /// whole cluster: each of a run's Cluster:DigestShards shards sends at most this divided by the shard count.
    /// </summary>
    [Range(0.0, 100_000.0)]
    public double MaxMessagesPerSecond { get; set; }

    /// <summary>
    /// Sends per second to any one recipient domain (e.g. gmail.com); 0 means no limit. Default 0. Per cluster, like
    /// <see cref="MaxMessagesPerSecond"/>.
    /// </summary>
    [Range(0.0, 100_000.0)]
    public double MaxMessagesPerSecondPerDomain { get; set; }

    /// <summary>Attempts per digest before a temporary failure becomes permanent. Default 8.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry of a deferred digest; doubles per attempt up to six hours. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Digests in flight at once to one recipient domain (e.g. gmail.com); 0 means no limit. Default 0.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrentPerRecipientDomain { get; set; }

    /// <summary>
    /// Permanent failures after which an address is suppressed (subscriber status Bounced, no further digests);
    /// 0 never suppresses. Default 3.
    /// </summary>
    [Range(0, 1000)]
    public int SuppressAfterFailures { get; set; } = 3;
}
