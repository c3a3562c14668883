namespace Moat.Audit.Discovery;

/// <summary>How politely <see cref="PortScanner"/> knocks: the defaults are gentle enough for any network.</summary>
public sealed record PortScanOptions
{
    /// <summary>Connection attempts started per second, across all targets.</summary>
    public double AttemptsPerSecond { get; init; } = 50;

    /// <summary>Connection attempts in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>How long one connection attempt may take before the port counts as filtered.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Throws when a value would make the scan unbounded or stall.</summary>
    public void Validate()
    {
        if (!double.IsFinite(AttemptsPerSecond) || AttemptsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AttemptsPerSecond), AttemptsPerSecond, "the rate must be a positive number of attempts per second");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
    }

    /// <summary>The scan's limits in words, for the report's header.</summary>
    public override string ToString() =>
        $"at most {AttemptsPerSecond:0.##} connection attempts per second, {MaxConcurrency} at once, {ConnectTimeout.TotalSeconds:0.##} s connect timeout";
}
