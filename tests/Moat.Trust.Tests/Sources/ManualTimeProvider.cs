namespace Moat.Trust.Tests.Sources;

/// <summary>
/// A clock the test moves by hand. Only the wall clock is manual: timers stay real, so network
/// timeouts still fire while cache lifetimes and probe windows move only when the test says so.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long ticks = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
