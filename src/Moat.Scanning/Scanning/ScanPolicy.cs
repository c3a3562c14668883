using Moat.Scanning.Content;

namespace Moat.Scanning.Scanning;

/// <summary>Which engines <see cref="MultiEngineScanner"/> runs and how it turns their verdicts into one outcome.</summary>
public sealed class ScanPolicy
{
    /// <summary>
    /// The engines to run, by name, with their settings: one, two or three entries give single,
    /// double or triple scanning. Empty runs every engine the scanner was given, with defaults.
    /// </summary>
    public IReadOnlyList<EnginePolicy> Engines { get; init; } = [];

    /// <summary>How many engines must detect something for the content to count as infected.</summary>
    public ScanDecision Decision { get; init; } = ScanDecision.Any;

    /// <summary>How long one engine may take on one object, unless its <see cref="EnginePolicy.Timeout"/> says otherwise.</summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What the gateway does with content the walker could not fully unpack (zip bombs, too deep, too many parts).</summary>
    public LimitAction LimitAction { get; init; } = LimitAction.Reject;

    /// <summary>The content walker's bounds.</summary>
    public ScanLimits Limits { get; init; } = new();

    /// <summary>How many engines may scan the same object at once.</summary>
    public int MaxConcurrentEngines { get; init; } = 4;
}
