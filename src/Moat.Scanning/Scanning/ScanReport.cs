using Moat.Scanning.Content;

namespace Moat.Scanning.Scanning;

/// <summary>Everything one scan learnt: the outcome, and the detail behind it for logs and people.</summary>
public sealed record ScanReport
{
    /// <summary>The root's path.</summary>
    public required string Name { get; init; }

    public required ScanOutcome Outcome { get; init; }

    /// <summary>Every detection, also those that did not reach the quorum.</summary>
    public required IReadOnlyList<ScanDetection> Detections { get; init; }

    /// <summary>Every failure, also those of fail-open engines.</summary>
    public required IReadOnlyList<ScanFailure> Failures { get; init; }

    public required IReadOnlyList<LimitViolation> Violations { get; init; }

    /// <summary>Per engine, in policy order.</summary>
    public required IReadOnlyList<EngineStatistics> Engines { get; init; }

    /// <summary>Objects the walker found (the root included).</summary>
    public required int ObjectsScanned { get; init; }

    /// <summary>Bytes of content read, each object counted once (as far as its furthest reader got).</summary>
    public required long BytesScanned { get; init; }

    public required TimeSpan Duration { get; init; }
}
