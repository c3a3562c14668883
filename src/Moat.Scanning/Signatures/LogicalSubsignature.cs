namespace Moat.Scanning.Signatures;

/// <summary>"n": subsignature n matched at least once.</summary>
internal sealed class LogicalSubsignature(int index) : LogicalExpression
{
    public int Index { get; } = index;

    public override int MaxIndex => Index;

    public override int MaxThreshold => 1;

    public override bool Evaluate(ReadOnlySpan<int> counts) => counts[Index] > 0;

    public override int Count(ReadOnlySpan<int> counts) => counts[Index];
}
