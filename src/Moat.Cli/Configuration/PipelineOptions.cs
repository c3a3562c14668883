namespace Moat.Cli.Configuration;

/// <summary>Section "pipeline": which filters run and in what order.</summary>
public sealed class PipelineOptions
{
    /// <summary>Filter names in the order they run at every stage. Default: size, sender, relay, recipient-domains.</summary>
    public List<string>? Order { get; set; }

    /// <summary>A filter that takes longer gives 451 4.3.0, never a pass.</summary>
    public TimeSpan FilterTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
