namespace Moat.Bench.Accounts;

/// <summary>A sketch sized by the formula for <paramref name="Target"/>, probed with never-seen passwords.</summary>
internal sealed record FormulaCheck(OracleSetting Setting, double Target, int Depth, int Width, long MemoryBytes, double Bound, long Probes, long Refused);
