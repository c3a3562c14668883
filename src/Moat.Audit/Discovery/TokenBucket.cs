namespace Moat.Audit.Discovery;

/// <summary>
/// A token bucket: permits refill at <c>rate</c> per second up to <c>capacity</c>, and each
/// connection attempt takes one. With the default capacity of one, attempts are spread evenly
/// (50/s means one every 20 ms) instead of leaving in bursts that look like an attack.
/// </summary>
/// <remarks>
/// Kept as the generic cell rate algorithm, the bucket's integer twin: one "theoretical arrival
/// time" in timestamp ticks instead of a fractional token count, so waits are exact and never
/// drift by rounding. Time comes from a <see cref="TimeProvider"/>'s monotonic timestamp, so
/// tests move it by hand.
/// </remarks>
public sealed class TokenBucket
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly long interval;
    private readonly long tolerance;
    private long theoreticalArrival;

    public TokenBucket(double ratePerSecond, int capacity = 1, TimeProvider? timeProvider = null)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "the rate must be a positive number of permits per second");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        time = timeProvider ?? TimeProvider.System;
        RatePerSecond = ratePerSecond;
        interval = Math.Max(1, (long)Math.Round(time.TimestampFrequency / ratePerSecond));
        tolerance = (capacity - 1) * interval;
        theoreticalArrival = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    /// <summary>
    /// Takes a permit if one is there and returns <see cref="TimeSpan.Zero"/>; otherwise takes
    /// nothing and returns how long until the next permit.
    /// </summary>
    public TimeSpan TryTake()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var earliest = theoreticalArrival - tolerance;
            if (now >= earliest)
            {
                theoreticalArrival = Math.Max(theoreticalArrival, now) + interval;
                return TimeSpan.Zero;
            }

            // Rounded up: waking a tick early would only find the bucket still empty.
            // Int128: a slow rate times a nanosecond timestamp frequency overflows a long.
            var ticks = (((Int128)(earliest - now) * TimeSpan.TicksPerSecond) + time.TimestampFrequency - 1) / time.TimestampFrequency;
            return TimeSpan.FromTicks((long)Int128.Max(1, Int128.Min(ticks, TimeSpan.MaxValue.Ticks)));
        }
    }

    /// <summary>Waits until a permit can be taken, then takes it.</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wait = TryTake();
            if (wait == TimeSpan.Zero)
            {
                return;
            }

            // Task.Delay refuses waits beyond about 49 days; an absurdly slow rate just loops.
            await Task.Delay(wait < MaxDelay ? wait : MaxDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
