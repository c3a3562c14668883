namespace Moat.Cli.Configuration;

/// <summary>Antivirus settings for one direction of mail.</summary>
public sealed class AntivirusDirectionOptions
{
    /// <summary>Engines by name: "signatures", "heuristics", "clamd" (one, two or three: single, double, triple scanning). Default: signatures and heuristics, and clamd when configured.</summary>
    public List<string>? Engines { get; set; }

    /// <summary>"any" (one detection is enough) or "quorum:N" (N engines must agree).</summary>
    public string Decision { get; set; } = "any";

    /// <summary>"reject" (554 5.7.0 during SMTP), "quarantine" (hold queue) or "tag" (deliver with X-Virus-Status).</summary>
    public string Action { get; set; } = "reject";
}
