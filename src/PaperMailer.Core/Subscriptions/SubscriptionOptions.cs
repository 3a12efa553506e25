using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Subscriptions;

public sealed class SubscriptionOptions
{
    public const string SectionName = "Subscriptions";

    /// <summary>How long a confirmation link works. Default two days.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan ConfirmationExpiry { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Subscribe requests that send an email, from one network address (an IPv4 address or an IPv6 /64) per hour;
    /// more get 429. Requests refused by validation or past <see cref="MaxEmailsPerAddressPerDay"/> send nothing and
    /// do not count. Default 10.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxRequestsPerIpPerHour { get; set; } = 10;

    /// <summary>
    /// Emails (confirmations, "already subscribed" notices) sent to one address per day, whoever asks: the form
    /// cannot be used to flood someone's inbox. Requests beyond it get the same page but no email. Default 3.
    /// </summary>
    [Range(1, 100)]
    public int MaxEmailsPerAddressPerDay { get; set; } = 3;

    /// <summary>Recent papers shown under each topic on the home page. Default 3.</summary>
    [Range(0, 20)]
    public int ExamplePapersPerTopic { get; set; } = 3;
}
