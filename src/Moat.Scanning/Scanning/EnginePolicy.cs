namespace Moat.Scanning.Scanning;

/// <summary>How one engine takes part in a scan.</summary>
/// <param name="Name">The engine's <see cref="Engines.IScanEngine.Name"/>.</param>
public sealed record EnginePolicy(string Name)
{
    /// <summary>How long the engine may take on one object; null uses <see cref="ScanPolicy.EngineTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// When the engine fails or times out, carry on as if it had found nothing (logged at Warning,
    /// counted in engine.failopen). Off by default: a failing engine makes the scan an error, so
    /// the gateway answers 4xx and the sender tries again.
    /// </summary>
    public bool FailOpen { get; init; }
}
