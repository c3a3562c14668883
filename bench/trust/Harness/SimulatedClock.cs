namespace Moat.Bench.Trust;

/// <summary>
/// The corpus's own time (2001–2002), so per-day challenge limits, hold expiry and token days work
/// as they would have then. Timestamps (the cache's reload interval) stay on the real clock.
/// </summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
