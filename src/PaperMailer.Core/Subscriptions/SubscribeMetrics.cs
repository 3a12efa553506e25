using System.Diagnostics.Metrics;

namespace PaperMailer.Subscriptions;

/// <summary>
/// Subscribing's instruments (meter <see cref="MeterName"/>): requests by outcome, and the abuse limits' refusals by
/// limit (per network address on the form, per email address in the service).
/// </summary>
public sealed class SubscribeMetrics
{
    public const string MeterName = "PaperMailer.Subscriptions";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _limited;

    public SubscribeMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("papermailer.subscribe.requests", "{request}",
            "Subscribe requests (web form and CLI invitations) by outcome: emailed, limited (an abuse limit held the email back), invalid.");
        _limited = meter.CreateCounter<long>("papermailer.subscribe.rate_limited", "{request}",
            "Subscribe requests held back by an abuse limit: per_network_address (Subscriptions:MaxRequestsPerIpPerHour) or per_email_address (Subscriptions:MaxEmailsPerAddressPerDay).");
    }

    public void Requested(string outcome) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void LimitedPerNetworkAddress() => _limited.Add(1, new KeyValuePair<string, object?>("limit", "per_network_address"));

    public void LimitedPerEmailAddress() => _limited.Add(1, new KeyValuePair<string, object?>("limit", "per_email_address"));
}
