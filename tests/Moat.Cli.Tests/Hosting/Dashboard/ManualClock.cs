namespace Moat.Cli.Tests.Hosting.Dashboard;

/// <summary>A clock that moves only when told: ages and the one-second queue cache become exact.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
