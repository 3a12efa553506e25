using System.Diagnostics.Metrics;
using PaperMailer.Deliver;
using PaperMailer.Domain;

namespace PaperMailer.Digest;

/// <summary>
/// The digest run's instruments (meter <see cref="MeterName"/>): digests by outcome and reason, each send's time in
/// the transport, and each run's time. Recorded where each is decided; a run records thousands a second, so tags are
/// constant strings passed without allocating.
/// </summary>
public sealed class DigestMetrics
{
    public const string MeterName = "PaperMailer.Digest";

    private readonly Counter<long> _digests;
    private readonly Histogram<double> _sendDuration;
    private readonly Histogram<double> _runDuration;

    public DigestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _digests = meter.CreateCounter<long>("papermailer.digests", "{digest}",
            "Digests by outcome (sent, deferred, failed, cancelled, nothing_to_send) and reason, as each attempt's outcome is decided.");
        _sendDuration = meter.CreateHistogram("papermailer.digest.send.duration", "s", "Time the transport took to accept or refuse one digest.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _runDuration = meter.CreateHistogram("papermailer.digest.run.duration", "s", "Time a digest run took, from its start to its report.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });
    }

    /// <summary>An attempt's outcome: the transport's <paramref name="result"/> and what the attempt policy made of it.</summary>
    public void Attempted(DeliveryResult result, DeliveryStatus status)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (status)
        {
            case DeliveryStatus.Sent:
                Count("sent", "accepted");
                break;
            case DeliveryStatus.Deferred:
                Count("deferred", result.StatusCode is >= 400 and < 500 ? "temporary_reply" : "no_reply");
                break;
            default:
                // A deferral the policy turned into a failure is a digest out of attempts; otherwise the server or the
                // transport refused it for good: the address, a permanent reply, or a message it cannot send at all.
                Count("failed", result.Outcome == DeliveryOutcome.Deferred ? "out_of_attempts"
                    : result.IsRecipientsFault ? "recipient_refused"
                    : result.StatusCode is >= 500 and < 600 ? "permanent_reply"
                    : "not_sendable");
                break;
        }
    }

    /// <summary>A day decided with nothing relevant to send.</summary>
    public void NothingToSend() => Count("nothing_to_send", "no_matching_papers");

    /// <summary>A pending digest whose subscriber left before it went out.</summary>
    public void Cancelled() => Count("cancelled", "subscriber_gone");

    /// <summary>A digest the templates could not render; it is retried later.</summary>
    public void NotRendered() => Count("deferred", "not_rendered");

    public void Sent(TimeSpan elapsed) => _sendDuration.Record(elapsed.TotalSeconds);

    public void RunFinished(TimeSpan elapsed) => _runDuration.Record(elapsed.TotalSeconds);

    private void Count(string outcome, string reason) =>
        _digests.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
}
