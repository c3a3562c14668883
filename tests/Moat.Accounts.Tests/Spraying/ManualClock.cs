namespace Moat.Accounts.Tests.Spraying;

/// <summary>A wall clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
