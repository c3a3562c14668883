namespace Moat.Web.Dashboard;

/// <summary>
/// The most recent durations of one engine in a fixed ring, for percentiles and a histogram of
/// "how it has been lately" rather than since start. Safe from any thread.
/// </summary>
public sealed class DurationWindow
{
    public const int DefaultCapacity = 500;

    private readonly Lock gate = new();
    private readonly double[] ring;
    private int next;
    private int count;
    private long recorded;

    public DurationWindow(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ring = new double[capacity];
    }

    /// <summary>
    /// Upper bounds (seconds) of the histogram's buckets, roughly logarithmic: scan times run from
    /// microseconds (a hash lookup) to seconds (clamd on a large archive). One more bucket takes the rest.
    /// </summary>
    public static IReadOnlyList<double> BucketBounds { get; } =
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30];

    public void Record(TimeSpan duration) => Record(duration.TotalSeconds);

    public void Record(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return;
        }

        lock (gate)
        {
            ring[next] = seconds;
            next = (next + 1) % ring.Length;
            count = Math.Min(count + 1, ring.Length);
            recorded++;
        }
    }

    public EngineTimes Summarize(string engine)
    {
        double[] values;
        long total;
        lock (gate)
        {
            values = ring.AsSpan(0, count).ToArray();
            total = recorded;
        }

        Array.Sort(values);
        return new EngineTimes(
            engine,
            total,
            values.Length,
            Percentile(values, 0.50),
            Percentile(values, 0.95),
            values.Length == 0 ? 0 : values[^1],
            Histogram(values));
    }

    /// <summary>The nearest-rank percentile of sorted values (0 for none): a value that occurred, never an interpolation.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Counts per bucket of <see cref="BucketBounds"/> (a value on a bound belongs to that bound's bucket).</summary>
    public static int[] Histogram(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buckets = new int[BucketBounds.Count + 1];
        foreach (var value in values)
        {
            var bucket = 0;
            while (bucket < BucketBounds.Count && value > BucketBounds[bucket])
            {
                bucket++;
            }

            buckets[bucket]++;
        }

        return buckets;
    }
}
