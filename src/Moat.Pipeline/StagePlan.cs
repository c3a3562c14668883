namespace Moat.Pipeline;

/// <summary>The filters asked at one stage, in the order they run.</summary>
public sealed record StagePlan(PipelineStage Stage, IReadOnlyList<FilterDescription> Filters);
