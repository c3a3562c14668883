namespace Moat.Pipeline;

/// <summary>Settings of the <see cref="PipelineRunner"/>.</summary>
public sealed class PipelineOptions
{
    /// <summary>How long one filter may take at one stage before the runner answers 451 4.3.0 instead.</summary>
    public TimeSpan FilterTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
