namespace Moat.Audit.Findings;

/// <summary>The lower-case names severities have in every output (terminal, JSON, HTML) and in the documentation.</summary>
public static class SeverityNames
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        _ => "info",
    };
}
