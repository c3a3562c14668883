namespace Moat.Cli.Configuration;

/// <summary>Section "metrics": Prometheus metrics at <c>/metrics</c> on the web listener.</summary>
public sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;
}
