namespace Moat.Storage.Tests.AccessLog;

/// <summary>A clock the test moves by hand, so entry times and purge cut-offs are exact.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
