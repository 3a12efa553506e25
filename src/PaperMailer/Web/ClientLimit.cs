using System.Net;
using System.Net.Sockets;

namespace PaperMailer.Web;

/// <summary>
/// At most <c>limit</c> counted events per client within a sliding <c>window</c>, on the injected clock. A caller
/// takes a slot before the event and gives it back when the event turned out not to count (a subscribe request that
/// sent no email, a correct operator token), so only what the limit is about is counted.
/// </summary>
public sealed class ClientLimit(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _events = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// The client an address stands for: an IPv4 address, or an IPv6 /64 network (one household or host gets a
    /// whole /64, so single IPv6 addresses would make the limit free to get around).
    /// </summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Takes a slot for <paramref name="client"/>; false when its slots in the window are used up.</summary>
    public bool TryTake(string client)
    {
        var now = clock.GetUtcNow();
        lock (_events)
        {
            SweepIfDue(now);
            if (!_events.TryGetValue(client, out var times)) _events[client] = times = new Queue<DateTimeOffset>();
            while (times.Count > 0 && times.Peek() <= now - window) times.Dequeue();
            if (times.Count >= limit) return false;
            times.Enqueue(now);
            return true;
        }
    }

    /// <summary>Returns the slot last taken for <paramref name="client"/>.</summary>
    public void GiveBack(string client)
    {
        lock (_events)
        {
            if (!_events.TryGetValue(client, out var times) || times.Count == 0) return;
            // The newest entry is at the end of the queue: rebuild without it (queues are at most `limit` long).
            var kept = times.Take(times.Count - 1).ToList();
            times.Clear();
            foreach (var time in kept) times.Enqueue(time);
        }
    }

    /// <summary>Forgets clients with nothing in the window, once a window, so memory follows recent clients only.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        if (now - _lastSweep < window) return;
        _lastSweep = now;
        foreach (var (client, times) in _events.ToList())
        {
            if (times.Count == 0 || times.Last() <= now - window) _events.Remove(client);
        }
    }
}
