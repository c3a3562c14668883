namespace Moat.Audit.Tests.Discovery;

/// <summary>A clock the test moves by hand, wall clock and monotonic timestamp together.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long ticks = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
