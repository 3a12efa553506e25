using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// Caps the digests in flight to one recipient domain at <see cref="DeliveryOptions.MaxConcurrentPerRecipientDomain"/>,
/// so a large list with many addresses at one provider does not open more parallel deliveries there than it
/// tolerates (big providers throttle with 421/451 when they do), while other domains keep going at full speed.
/// </summary>
public sealed class RecipientDomainLimiter(IOptions<DeliveryOptions> options)
{
    private readonly int _limit = options.Value.MaxConcurrentPerRecipientDomain;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _domains = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for a free place for <paramref name="email"/>'s domain; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (_limit <= 0)
        {
            return NoLimit.Instance;
        }

        string domain = email[(email.LastIndexOf('@') + 1)..];
        SemaphoreSlim gate = _domains.GetOrAdd(domain, _ => new SemaphoreSlim(_limit, _limit));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Place(gate);
    }

    private sealed class Place(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class NoLimit : IDisposable
    {
        public static readonly NoLimit Instance = new();

        public void Dispose()
        {
        }
    }
}
