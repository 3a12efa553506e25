using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// The <c>"results"</c> part of <c>rank --profiles</c>' lines, remembered by the profile they were ranked for: many
/// subscribers pick the same few keywords (a generated file of 100,000 profiles of 2–5 keywords repeats a fifth of
/// them, most of the two-keyword ones), and ranking and writing a profile again gives the same bytes. Shared by the
/// threads of one run. Bounded: once <see cref="MaxBytes"/> of results are held, profiles are only looked up, so
/// that the profiles met first (and the memory) stay put whatever the file's length.
/// </summary>
internal sealed class RankedResultsCache
{
    /// <summary>About 20,000 lines of ten results each.</summary>
    internal const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Results are copied into blocks of this size, not into an array each: the blocks are allocated where large
    /// objects are and stay there, where thousands of small arrays would each be copied by the collector as they age.
    /// </summary>
    private const int BlockSize = 1024 * 1024;

    private readonly ConcurrentDictionary<RankingProfile, ReadOnlyMemory<byte>> _results = new(SameProfile.Comparer);
    private readonly Lock _copying = new();
    private byte[] _block = [];
    private int _used;
    private int _bytes;

    public bool TryGet(RankingProfile profile, out ReadOnlyMemory<byte> results) => _results.TryGetValue(profile, out results);

    /// <summary>Keeps a copy of <paramref name="results"/> for the profile, unless the cache is full.</summary>
    public void Remember(RankingProfile profile, ReadOnlySpan<byte> results)
    {
        if (Volatile.Read(ref _bytes) + results.Length > MaxBytes || results.Length > BlockSize) return;
        ReadOnlyMemory<byte> copy;
        lock (_copying)
        {
            if (_bytes + results.Length > MaxBytes) return;
            if (_block.Length - _used < results.Length) (_block, _used) = (new byte[BlockSize], 0);
            results.CopyTo(_block.AsSpan(_used));
            copy = _block.AsMemory(_used, results.Length);
            _used += results.Length;
            _bytes += results.Length;
        }
        // Another thread may have ranked the same profile meanwhile: its copy has the same bytes.
        _results.TryAdd(profile, copy);
    }

    /// <summary>
    /// Profiles that rank alike for certain: the same keyword and exclusion instances in the same order (a keyword's
    /// text is analysed into one shared <see cref="ProfileTerm"/>, so every profile naming it holds that instance; the
    /// order matters, as relevance is summed in keyword order), and the same categories and authors. Two profiles
    /// with equal terms that are not the same instances only miss the cache.
    /// </summary>
    private sealed class SameProfile : IEqualityComparer<RankingProfile>
    {
        public static readonly SameProfile Comparer = new();

        public bool Equals(RankingProfile? x, RankingProfile? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null
                && SameInstances(x.Keywords, y.Keywords) && SameInstances(x.Exclusions, y.Exclusions)
                && x.Categories.SequenceEqual(y.Categories, StringComparer.Ordinal) && x.Authors.SequenceEqual(y.Authors, StringComparer.Ordinal));

        public int GetHashCode(RankingProfile profile)
        {
            var hash = new HashCode();
            foreach (var term in profile.Keywords) hash.Add(RuntimeHelpers.GetHashCode(term));
            hash.Add(profile.Exclusions.Count);
            foreach (var term in profile.Exclusions) hash.Add(RuntimeHelpers.GetHashCode(term));
            return hash.ToHashCode();
        }

        private static bool SameInstances(IReadOnlyList<ProfileTerm> x, IReadOnlyList<ProfileTerm> y)
        {
            if (x.Count != y.Count) return false;
            for (var i = 0; i < x.Count; i++)
            {
                if (!ReferenceEquals(x[i], y[i])) return false;
            }
            return true;
        }
    }
}
