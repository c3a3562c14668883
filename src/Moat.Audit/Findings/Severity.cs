namespace Moat.Audit.Findings;

/// <summary>How bad a finding is; the audit's exit code follows the highest one found.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
