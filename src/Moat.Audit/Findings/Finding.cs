namespace Moat.Audit.Findings;

/// <summary>
/// One thing the audit found. <see cref="Evidence"/> holds the exact lines that show it (server
/// replies, DNS records), <see cref="Fix"/> what to do about it.
/// </summary>
/// <param name="Id">Stable identifier for tooling, e.g. "open-relay", "version-leak", "cve".</param>
/// <param name="Target">Where: "192.0.2.1:25", a domain, or a host name.</param>
public sealed record Finding(
    Severity Severity,
    string Id,
    string Title,
    string Target,
    IReadOnlyList<string> Evidence,
    string Fix);
