using System.Collections.Concurrent;

namespace PaperMailer.Render;

/// <summary>
/// Results of a pure function of text, remembered across renders: a digest run renders the same few hundred papers
/// for tens of thousands of subscribers. Bounded, so a long-running service does not grow without end: when full it
/// starts over. Safe to use from every thread.
/// </summary>
internal sealed class RememberedResults<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _results = new(comparer);

    public TValue Get(TKey key, Func<TKey, TValue> compute)
    {
        if (_results.TryGetValue(key, out var known)) return known;
        if (_results.Count >= capacity) _results.Clear();
        return _results.GetOrAdd(key, compute);
    }
}
