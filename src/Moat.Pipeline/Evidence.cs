namespace Moat.Pipeline;

/// <summary>One observation a filter made about a transaction, kept for logs, the explain trace and later scoring.</summary>
public sealed record Evidence(string Filter, PipelineStage Stage, string Text)
{
    public override string ToString() => $"{Filter}@{Stage}: {Text}";
}
