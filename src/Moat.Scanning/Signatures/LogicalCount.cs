namespace Moat.Scanning.Signatures;

/// <summary>"x=n", "x&gt;n", "x&lt;n": compares the summed match count of x (a subsignature or a parenthesised group).</summary>
internal sealed class LogicalCount(LogicalExpression operand, char comparison, int number) : LogicalExpression
{
    public override int MaxIndex => operand.MaxIndex;

    public override int MaxThreshold => Math.Max(operand.MaxThreshold, number + 1);

    public override bool Evaluate(ReadOnlySpan<int> counts)
    {
        var count = operand.Count(counts);
        return comparison switch
        {
            '=' => count == number,
            '>' => count > number,
            _ => count < number,
        };
    }

    public override int Count(ReadOnlySpan<int> counts) => operand.Count(counts);
}
