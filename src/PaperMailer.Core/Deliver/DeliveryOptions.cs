using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Deliver;

public enum TransportKind { Outbox, Smtp }

public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>Outbox (write .eml files; the default) or Smtp.</summary>
    public TransportKind Transport { get; set; } = TransportKind.Outbox;

    /// <summary>Folder for .eml files when Transport is Outbox. Default "outbox".</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutboxDirectory { get; set; } = "outbox";

    /// <summary>From address of every digest, optionally with a display name: "PaperMailer &lt;digest@example.org&gt;".</summary>
    [Required(AllowEmptyStrings = false)]
    public string From { get; set; } = "PaperMailer <digest@papermailer.localhost>";

    /// <summary>Sends per second across all connections; 0 means no limit. Default 0.</summary>
    [Range(0, 100_000)]
    public double MaxMessagesPerSecond { get; set; }

    /// <summary>Attempts per digest before a temporary failure becomes permanent. Default 8.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry of a deferred digest; doubles per attempt up to six hours. Default 5 minutes.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(5);
}
