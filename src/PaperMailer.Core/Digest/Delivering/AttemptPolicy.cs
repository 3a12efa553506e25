using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Domain;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// What an attempt's result means for the digest: sent; failed for good (a 5xx, a capability the server lacks); or
/// deferred and retried with backoff (<see cref="DeliveryOptions.RetryBaseDelay"/>, doubling, at most six hours) until
/// <see cref="DeliveryOptions.MaxAttempts"/>, when it is given up (its papers then go to the next digest).
/// </summary>
public sealed class AttemptPolicy(IOptions<DeliveryOptions> options)
{
    private readonly DeliveryOptions _options = options.Value;

    public (DeliveryStatus Status, string Reply, DateTimeOffset? NextAttempt) Outcome(DeliveryResult result, int attempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                return (DeliveryStatus.Sent, result.Reply, null);
            case DeliveryOutcome.Failed:
                return (DeliveryStatus.Failed, result.Reply, null);
            default:
                if (attempts >= _options.MaxAttempts)
                    return (DeliveryStatus.Failed, $"gave up after {attempts} attempts (its papers go to the next digest); last reply: {result.Reply}", null);
                var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(6).Ticks, _options.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
                return (DeliveryStatus.Deferred, result.Reply, now + delay);
        }
    }
}
