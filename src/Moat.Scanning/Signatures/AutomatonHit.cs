namespace Moat.Scanning.Signatures;

/// <summary>A key of the automaton ended at <see cref="End"/> (index into the scanned span).</summary>
internal readonly record struct AutomatonHit(int Value, int End);
