namespace PaperMailer.Digest.Planning;

/// <summary>
/// Shard <paramref name="Index"/> of <paramref name="Count"/>: the subscribers whose id hashes to it. Several nodes
/// share one digest run by each running some of its shards; the same subscriber falls in the same shard on every node
/// and in every process (a fixed mixing function of the id, never a per-process randomised hash).
/// </summary>
public sealed record DigestShard(int Index, int Count)
{
    /// <summary>The shard of <paramref name="subscriberId"/> among <paramref name="count"/>.</summary>
    public static int Of(long subscriberId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // SplitMix64's finaliser: consecutive ids (an import) land evenly and independently of any pattern in the ids.
        var x = unchecked((ulong)subscriberId);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (int)(x % (ulong)count);
    }

    public bool Contains(long subscriberId) => Of(subscriberId, Count) == Index;

    public override string ToString() => $"shard {Index + 1} of {Count}";
}
