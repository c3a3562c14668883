namespace Moat.Pipeline;

/// <summary>
/// One policy check. A filter returns a verdict and may add evidence or set
/// <see cref="TransactionContext.Direction"/>; it never writes to the connection. A filter that
/// throws or overruns its time is answered with a temporary failure by the runner, so a filter
/// needs no catch-all of its own.
/// </summary>
public interface IFilter
{
    /// <summary>The name used in the configured order, logs, metrics and evidence.</summary>
    string Name { get; }

    /// <summary>One line for <c>pipeline explain</c>.</summary>
    string Description { get; }

    /// <summary>The stages this filter is asked at.</summary>
    IReadOnlyCollection<PipelineStage> Stages { get; }

    ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken);
}
