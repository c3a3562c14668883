namespace Moat.Scanning.Signatures;

/// <summary>An .ldb signature: an expression over subsignatures, which live in the body matcher as patterns.</summary>
internal sealed class LogicalSignature(string name, SignatureTarget target, long minSize, long maxSize, LogicalExpression expression, int[] patternIndices)
{
    public string Name { get; } = name;

    public SignatureTarget Target { get; } = target;

    public long MinSize { get; } = minSize;

    public long MaxSize { get; } = maxSize;

    public LogicalExpression Expression { get; } = expression;

    /// <summary>Subsignature i is body pattern <c>PatternIndices[i]</c>.</summary>
    public int[] PatternIndices { get; } = patternIndices;

    /// <summary>True when an object with no subsignature match at all satisfies the expression ("0=0", "0<2"): such signatures are evaluated for every object.</summary>
    public bool MatchesWithoutHits => Expression.Evaluate(new int[PatternIndices.Length]);

    public bool Matches(BodyScanner body, long size)
    {
        if (size < MinSize || size > MaxSize || (Target != SignatureTarget.Any && Target != body.Type))
        {
            return false;
        }

        Span<int> counts = PatternIndices.Length <= 64 ? stackalloc int[PatternIndices.Length] : new int[PatternIndices.Length];
        for (var i = 0; i < PatternIndices.Length; i++)
        {
            counts[i] = body.CountOf(PatternIndices[i]);
        }

        return Expression.Evaluate(counts);
    }
}
