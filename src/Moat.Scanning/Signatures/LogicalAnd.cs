namespace Moat.Scanning.Signatures;

/// <summary>"a&amp;b&amp;…": every operand holds.</summary>
internal sealed class LogicalAnd(IReadOnlyList<LogicalExpression> operands) : LogicalExpression
{
    public override int MaxIndex => operands.Max(o => o.MaxIndex);

    public override int MaxThreshold => operands.Max(o => o.MaxThreshold);

    public override bool Evaluate(ReadOnlySpan<int> counts)
    {
        foreach (var operand in operands)
        {
            if (!operand.Evaluate(counts))
            {
                return false;
            }
        }

        return true;
    }

    public override int Count(ReadOnlySpan<int> counts)
    {
        var sum = 0;
        foreach (var operand in operands)
        {
            sum += operand.Count(counts);
        }

        return sum;
    }
}
