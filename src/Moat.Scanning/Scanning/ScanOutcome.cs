using Moat.Scanning.Content;

namespace Moat.Scanning.Scanning;

/// <summary>The one answer a scan gives, with what it rests on.</summary>
public sealed class ScanOutcome
{
    private ScanOutcome(
        ScanOutcomeKind kind,
        IReadOnlyList<ScanDetection> detections,
        IReadOnlyList<LimitViolation> violations,
        LimitAction? limitAction,
        IReadOnlyList<ScanFailure> failures)
    {
        Kind = kind;
        Detections = detections;
        Violations = violations;
        LimitAction = limitAction;
        Failures = failures;
    }

    public static ScanOutcome Clean { get; } = new(ScanOutcomeKind.Clean, [], [], null, []);

    public ScanOutcomeKind Kind { get; }

    /// <summary>For <see cref="ScanOutcomeKind.Infected"/>: every detection (engine, threat, object path).</summary>
    public IReadOnlyList<ScanDetection> Detections { get; }

    /// <summary>For <see cref="ScanOutcomeKind.LimitExceeded"/>: the bounds the content broke.</summary>
    public IReadOnlyList<LimitViolation> Violations { get; }

    /// <summary>For <see cref="ScanOutcomeKind.LimitExceeded"/>: what the policy says to do.</summary>
    public LimitAction? LimitAction { get; }

    /// <summary>For <see cref="ScanOutcomeKind.Error"/>: the failures that made it one.</summary>
    public IReadOnlyList<ScanFailure> Failures { get; }

    /// <summary>The distinct threat names, in the order found.</summary>
    public IReadOnlyList<string> Threats => Detections.Select(d => d.Threat).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The distinct engines that detected something.</summary>
    public IReadOnlyList<string> Engines => Detections.Select(d => d.Engine).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The distinct objects something was found in.</summary>
    public IReadOnlyList<string> ObjectPaths => Detections.Select(d => d.ObjectPath).Distinct(StringComparer.Ordinal).ToArray();

    public static ScanOutcome Infected(IReadOnlyList<ScanDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentOutOfRangeException.ThrowIfZero(detections.Count);
        return new ScanOutcome(ScanOutcomeKind.Infected, detections, [], null, []);
    }

    public static ScanOutcome LimitExceeded(IReadOnlyList<LimitViolation> violations, LimitAction action)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        return new ScanOutcome(ScanOutcomeKind.LimitExceeded, [], violations, action, []);
    }

    public static ScanOutcome Error(IReadOnlyList<ScanFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentOutOfRangeException.ThrowIfZero(failures.Count);
        return new ScanOutcome(ScanOutcomeKind.Error, [], [], null, failures);
    }

    public override string ToString() => Kind switch
    {
        ScanOutcomeKind.Infected => "infected: " + string.Join(", ", Threats),
        ScanOutcomeKind.LimitExceeded => $"limit exceeded ({LimitAction?.ToString().ToLowerInvariant()}): "
            + string.Join("; ", Violations.Select(v => $"{v.Limit} at {v.Path}: {v.Detail}")),
        ScanOutcomeKind.Error => "error: " + string.Join("; ", Failures),
        _ => "clean",
    };
}
