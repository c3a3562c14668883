namespace Moat.Web.Dashboard;

/// <summary>
/// Counts events per second and per clock minute over the last hour in two fixed rings, so memory
/// stays the same however much mail passes: a slot is reset when its time comes round again.
/// "Last minute" sums the per-second ring, i.e. the trailing 60 seconds: the clock minute would
/// drop to zero at every minute boundary and make the figure jump. Safe from any thread.
/// </summary>
public sealed class TrafficCounter
{
    /// <summary>How many minutes <see cref="PerMinute"/> covers.</summary>
    public const int Minutes = 60;

    private const int Seconds = 60;

    private readonly Lock gate = new();

    // Which second (minute) since the Unix epoch each slot holds; the count belongs to that time only.
    private readonly long[] secondKeys = new long[Seconds];
    private readonly long[] secondCounts = new long[Seconds];
    private readonly long[] minuteKeys = new long[Minutes];
    private readonly long[] minuteCounts = new long[Minutes];

    public TrafficCounter()
    {
        Array.Fill(secondKeys, long.MinValue);
        Array.Fill(minuteKeys, long.MinValue);
    }

    /// <summary>The start of the clock minute <paramref name="at"/> falls in (UTC).</summary>
    public static DateTimeOffset MinuteStart(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeSeconds(MinuteOf(at.ToUnixTimeSeconds()) * 60);

    public void Add(DateTimeOffset at, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        var second = at.ToUnixTimeSeconds();
        lock (gate)
        {
            Bump(secondKeys, secondCounts, second, count);
            Bump(minuteKeys, minuteCounts, MinuteOf(second), count);
        }
    }

    /// <summary>Events in the 60 seconds up to and including <paramref name="now"/>'s second.</summary>
    public long LastMinute(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds();
        long total = 0;
        lock (gate)
        {
            for (var slot = 0; slot < Seconds; slot++)
            {
                var key = secondKeys[slot];
                if (key <= current && key > current - Seconds)
                {
                    total += secondCounts[slot];
                }
            }
        }

        return total;
    }

    /// <summary>Events per clock minute for the last <see cref="Minutes"/> minutes, oldest first; the last is the minute in progress.</summary>
    public long[] PerMinute(DateTimeOffset now)
    {
        var current = MinuteOf(now.ToUnixTimeSeconds());
        var counts = new long[Minutes];
        lock (gate)
        {
            for (var i = 0; i < Minutes; i++)
            {
                var minute = current - Minutes + 1 + i;
                var slot = Slot(minute, Minutes);
                counts[i] = minuteKeys[slot] == minute ? minuteCounts[slot] : 0;
            }
        }

        return counts;
    }

    private static void Bump(long[] keys, long[] counts, long key, long count)
    {
        var slot = Slot(key, keys.Length);
        if (keys[slot] > key)
        {
            // Older than what the slot holds now: outside the window already.
            return;
        }

        if (keys[slot] != key)
        {
            keys[slot] = key;
            counts[slot] = 0;
        }

        counts[slot] += count;
    }

    private static long MinuteOf(long unixSeconds) => Math.DivRem(unixSeconds, 60, out var rest) - (rest < 0 ? 1 : 0);

    private static int Slot(long key, int length) => (int)(((key % length) + length) % length);
}
