namespace Moat.Pipeline.Tests.Support;

/// <summary>A filter whose behaviour a test writes inline; it records each stage it was asked at.</summary>
internal sealed class ScriptedFilter(
    string name,
    Func<TransactionContext, CancellationToken, ValueTask<Verdict>> evaluate,
    params PipelineStage[] stages) : IFilter
{
    private readonly List<PipelineStage> calls = [];

    public ScriptedFilter(string name, Verdict verdict, params PipelineStage[] stages)
        : this(name, (_, _) => ValueTask.FromResult(verdict), stages)
    {
    }

    public string Name => name;

    public string Description => $"test filter {name}";

    public IReadOnlyCollection<PipelineStage> Stages => stages.Length == 0 ? Enum.GetValues<PipelineStage>() : stages;

    public IReadOnlyList<PipelineStage> Calls => calls;

    public ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        calls.Add(stage);
        return evaluate(context, cancellationToken);
    }
}
