namespace Moat.Bench.Accounts;

/// <summary>What one simulated population came to.</summary>
internal sealed record SimulationResult(
    OracleSetting Setting,
    int Users,
    int? Threshold,
    int? Depth,
    int? Width,
    long MemoryBytes,
    int AskedAgain,
    long Choices,
    int OwnPasswords,
    IReadOnlyDictionary<int, long> OptimalCracked,
    IReadOnlyDictionary<int, long> NaiveCracked,
    long LargestGroup,
    long Checks,
    long WrongRefusals,
    long Probes,
    long ProbesRefused,
    double PlainBound,
    double SeededBound,
    double Seconds,
    int[] ListCounts);
