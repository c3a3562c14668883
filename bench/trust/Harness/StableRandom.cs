namespace Moat.Bench.Trust;

/// <summary>
/// Seeded draws keyed by what they decide (a sender, a file), not by the order they are made in:
/// adding or reordering one decision does not shift every other one, so two scenarios with the
/// same seed differ only where their parameters differ. string.GetHashCode is randomised per
/// process, hence FNV-1a with a SplitMix64 finish.
/// </summary>
internal static class StableRandom
{
    /// <summary>A number in [0, 1) fixed by the seed, the purpose of the draw and its key.</summary>
    public static double Unit(ulong seed, string purpose, string key)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var c in purpose)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ 0xFFFF) * 1099511628211UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash += 0x9E3779B97F4A7C15UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>One of <paramref name="items"/>, chosen by the seed, the purpose and the key.</summary>
    public static T Pick<T>(ulong seed, string purpose, string key, IReadOnlyList<T> items) =>
        items[(int)(Unit(seed, purpose, key) * items.Count)];
}
