namespace Moat.Scanning.Signatures;

/// <summary>"a|b|…": at least one operand holds.</summary>
internal sealed class LogicalOr(IReadOnlyList<LogicalExpression> operands) : LogicalExpression
{
    public override int MaxIndex => operands.Max(o => o.MaxIndex);

    public override int MaxThreshold => operands.Max(o => o.MaxThreshold);

    public override bool Evaluate(ReadOnlySpan<int> counts)
    {
        foreach (var operand in operands)
        {
            if (operand.Evaluate(counts))
            {
                return true;
            }
        }

        return false;
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
