namespace Moat.Scanning.Signatures;

/// <summary>
/// What one verification has already proven not to match: (element, position) pairs, and per
/// gap the range of candidate positions after it that all failed. With gaps tried from
/// increasing positions, each candidate is then tried once instead of once per earlier path.
/// </summary>
internal sealed class MatchMemo
{
    private readonly HashSet<long> _failed = [];
    private readonly Dictionary<int, (long Low, long High)> _failedAfterGap = [];

    public bool HasFailed(int index, int position) => _failed.Contains(Key(index, position));

    public void AddFailed(int index, int position) => _failed.Add(Key(index, position));

    /// <summary>The first candidate at or after <paramref name="candidate"/> not already known to fail after gap <paramref name="gapIndex"/>.</summary>
    public long SkipFailed(int gapIndex, long candidate) =>
        _failedAfterGap.TryGetValue(gapIndex, out var range) && candidate >= range.Low && candidate <= range.High ? range.High + 1 : candidate;

    /// <summary>Every candidate in [low, high] after gap <paramref name="gapIndex"/> failed.</summary>
    public void AddFailedRange(int gapIndex, long low, long high)
    {
        if (_failedAfterGap.TryGetValue(gapIndex, out var known) && low <= known.High + 1 && high >= known.Low - 1)
        {
            (low, high) = (Math.Min(low, known.Low), Math.Max(high, known.High));
        }

        _failedAfterGap[gapIndex] = (low, high);
    }

    private static long Key(int index, int position) => ((long)index << 32) | (uint)position;
}
