namespace Moat.Pipeline;

/// <summary>The outcome of one stage: the winning verdict, who gave it, and the trace of every filter that ran.</summary>
/// <param name="Verdict">The first verdict other than Continue, or Continue when every filter passed.</param>
/// <param name="DecidedBy">The filter that gave <paramref name="Verdict"/>, or null when every filter passed.</param>
public sealed record PipelineResult(PipelineStage Stage, Verdict Verdict, string? DecidedBy, IReadOnlyList<FilterTrace> Trace)
{
    /// <summary>The trace as text, one filter per line, for logs and <c>pipeline explain</c>.</summary>
    public string Explain()
    {
        var decision = DecidedBy is null ? Verdict.ToString() : $"{Verdict} by {DecidedBy}";
        var lines = Trace.Select(t => "  " + t);
        return string.Join(Environment.NewLine, lines.Prepend($"{Stage}: {decision}"));
    }
}
