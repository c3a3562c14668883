using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Targets;

namespace Moat.Audit;

/// <summary>Everything one audit did and found, for the terminal, JSON and HTML reports.</summary>
public sealed record AuditResult
{
    public required AuditScope Scope { get; init; }

    /// <summary>Connection attempts per second of the port scan.</summary>
    public required double Rate { get; init; }

    /// <summary>Connections at once.</summary>
    public required int Concurrency { get; init; }

    public required bool RelayProbes { get; init; }

    public required string DnsServers { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required DateTimeOffset Finished { get; init; }

    /// <summary>Every address scanned, with the reason it was in scope.</summary>
    public IReadOnlyList<PlannedAddress> Addresses { get; init; } = [];

    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>How the connection attempts ended.</summary>
    public PortScanResult Scan { get; init; } = new();

    /// <summary>Every open endpoint, in address then port order, whether or not it speaks SMTP.</summary>
    public IReadOnlyList<AuditedListener> Listeners { get; init; } = [];

    public IReadOnlyList<DomainReport> Domains { get; init; } = [];

    /// <summary>Most severe first, then by target.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>What the operator should know about the run itself: names that did not resolve, the address limit reached, …</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public DateOnly VulnerabilityDataDate { get; init; }

    /// <summary>"built-in" or the path of the installed update.</summary>
    public string VulnerabilityDataOrigin { get; init; } = "built-in";

    /// <summary>The most severe finding, or null when nothing was found at all.</summary>
    public Severity? HighestSeverity => Findings.Count == 0 ? null : Findings.Max(f => f.Severity);

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
}
