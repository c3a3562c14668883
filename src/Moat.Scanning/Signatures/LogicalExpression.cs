namespace Moat.Scanning.Signatures;

/// <summary>A node of an .ldb logical expression, evaluated over the match counts of the subsignatures.</summary>
internal abstract class LogicalExpression
{
    public abstract bool Evaluate(ReadOnlySpan<int> counts);

    /// <summary>The summed match count of every subsignature in this node (what "(0|1)>2" compares).</summary>
    public abstract int Count(ReadOnlySpan<int> counts);

    /// <summary>The highest subsignature index used (to check against the number given).</summary>
    public abstract int MaxIndex { get; }

    /// <summary>The largest number any count comparison uses: counting beyond it cannot change the result.</summary>
    public abstract int MaxThreshold { get; }
}
