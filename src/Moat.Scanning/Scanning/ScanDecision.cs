namespace Moat.Scanning.Scanning;

/// <summary>
/// How many different engines must detect something (anywhere in the content) before it counts
/// as infected. Engines see different objects — clamd the whole message, our engines each part —
/// so the count is over the whole scan, not per object.
/// </summary>
public sealed record ScanDecision
{
    private ScanDecision(int requiredEngines)
    {
        RequiredEngines = requiredEngines;
    }

    /// <summary>One engine's detection is enough.</summary>
    public static ScanDecision Any { get; } = new(1);

    public int RequiredEngines { get; }

    /// <summary>At least <paramref name="engines"/> engines must agree (fewer false positives, more misses).</summary>
    public static ScanDecision Quorum(int engines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(engines, 1);
        return new ScanDecision(engines);
    }

    public override string ToString() => RequiredEngines == 1 ? "any" : $"quorum({RequiredEngines})";
}
