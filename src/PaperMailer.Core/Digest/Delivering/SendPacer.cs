using System.Collections.Concurrent;
using PaperMailer.Deliver;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// Spaces one run's sends to at most <see cref="DeliveryOptions.MaxMessagesPerSecond"/> in all and
/// <see cref="DeliveryOptions.MaxMessagesPerSecondPerDomain"/> to any one recipient domain, each divided by the run's
/// share count: a cluster runs a digest run as S shards, each paced at limit / S, so however the nodes share the
/// shards (all on one node, one each, some finished early), together they never exceed the limits. A run that is not
/// sharded has the whole limits.
/// </summary>
/// <remarks>
/// A send to a domain first waits for that domain's turn, holding it, then reserves the next global slot; the domain's
/// next turn counts from the moment of the send. So neither limit is exceeded over any interval, and a domain that is
/// waiting never reserves global slots ahead of the other domains' sends.
/// </remarks>
public sealed class SendPacer
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _domainInterval;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, DomainTurn> _domains = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    /// <param name="shares">How many runs share the limits (the shard count); each gets 1 / shares of them.</param>
    public SendPacer(DeliveryOptions options, int shares, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(shares, 1);
        _clock = clock;
        _interval = IntervalOf(options.MaxMessagesPerSecond, shares);
        _domainInterval = IntervalOf(options.MaxMessagesPerSecondPerDomain, shares);
    }

    /// <summary>Time between two sends of this run (zero: no limit).</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Time between two sends of this run to one domain (zero: no limit).</summary>
    public TimeSpan DomainInterval => _domainInterval;

    /// <summary>Waits until a digest to <paramref name="email"/> may be handed to the transport.</summary>
    public async Task WaitTurnAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (_domainInterval == TimeSpan.Zero)
        {
            await WaitGlobalTurnAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        var domain = _domains.GetOrAdd(email[(email.LastIndexOf('@') + 1)..], _ => new DomainTurn());
        await domain.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = domain.Next - _clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            await WaitGlobalTurnAsync(cancellationToken).ConfigureAwait(false);
            domain.Next = _clock.GetUtcNow() + _domainInterval;
        }
        finally
        {
            domain.Gate.Release();
        }
    }

    private Task WaitGlobalTurnAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero) return Task.CompletedTask;
        DateTimeOffset slot;
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
        }
        var wait = slot - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, _clock, cancellationToken) : Task.CompletedTask;
    }

    private static TimeSpan IntervalOf(double perSecond, int shares) => perSecond > 0 ? TimeSpan.FromSeconds(shares / perSecond) : TimeSpan.Zero;

    private sealed class DomainTurn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public DateTimeOffset Next { get; set; } = DateTimeOffset.MinValue;
    }
}
