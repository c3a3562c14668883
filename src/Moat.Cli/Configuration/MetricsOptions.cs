namespace Moat.Cli.Configuration;

/// <summary>Section "metrics": the Prometheus endpoint.</summary>
public sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Address and port of the HTTP endpoint that serves /metrics.</summary>
    public string Listen { get; set; } = "127.0.0.1:8025";
}
