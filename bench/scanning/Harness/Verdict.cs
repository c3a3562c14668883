namespace Moat.Bench.Scanning;

/// <summary>One file's result, from either scanner.</summary>
internal enum Verdict
{
    Clean,
    Infected,
    Error,
}
