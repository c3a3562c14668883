namespace Moat.Bench.Accounts;

/// <summary>The spraying scenarios' clock: moves only when the scenario says so.</summary>
internal sealed class SimulatedClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
