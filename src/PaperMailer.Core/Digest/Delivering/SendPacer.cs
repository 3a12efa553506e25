using Microsoft.Extensions.Options;
using PaperMailer.Deliver;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// Spaces sends to at most <see cref="DeliveryOptions.MaxMessagesPerSecond"/> across all connections, so a large
/// list does not trip a provider's rate limit. Each caller reserves the next free slot, then waits for it.
/// </summary>
public sealed class SendPacer(IOptions<DeliveryOptions> options, TimeProvider clock)
{
    private readonly TimeSpan _interval = options.Value.MaxMessagesPerSecond > 0 ? TimeSpan.FromSeconds(1 / options.Value.MaxMessagesPerSecond) : TimeSpan.Zero;
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero) return Task.CompletedTask;
        DateTimeOffset slot;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
        }
        var wait = slot - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, clock, cancellationToken) : Task.CompletedTask;
    }
}
