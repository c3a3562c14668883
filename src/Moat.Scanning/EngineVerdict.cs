namespace Moat.Scanning;

/// <summary>What one engine says about one object.</summary>
public sealed record EngineVerdict
{
    private EngineVerdict(EngineVerdictKind kind, IReadOnlyList<string> threats, string? reason)
    {
        Kind = kind;
        Threats = threats;
        Reason = reason;
    }

    public static EngineVerdict Clean { get; } = new(EngineVerdictKind.Clean, [], null);

    public EngineVerdictKind Kind { get; }

    /// <summary>Threat names for <see cref="EngineVerdictKind.Infected"/>, e.g. "Eicar-Signature".</summary>
    public IReadOnlyList<string> Threats { get; }

    /// <summary>Why the engine could not decide, for <see cref="EngineVerdictKind.Error"/>.</summary>
    public string? Reason { get; }

    public static EngineVerdict Infected(params string[] threats)
    {
        if (threats.Length == 0)
        {
            throw new ArgumentException("An infection needs at least one threat name.", nameof(threats));
        }

        return new EngineVerdict(EngineVerdictKind.Infected, threats, null);
    }

    public static EngineVerdict Error(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new EngineVerdict(EngineVerdictKind.Error, [], reason);
    }

    public override string ToString() => Kind switch
    {
        EngineVerdictKind.Infected => "infected: " + string.Join(", ", Threats),
        EngineVerdictKind.Error => "error: " + Reason,
        _ => "clean",
    };
}
