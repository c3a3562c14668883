using Moat.Audit.Probing;
using Moat.Audit.Vulnerabilities;

namespace Moat.Audit;

/// <summary>One open endpoint with what its probe showed and what the audit knows about it.</summary>
/// <param name="InMx">Whether an MX of an audited domain names its address; null when that cannot be known.</param>
/// <param name="MxHosts">The MX host names that resolve to its address.</param>
/// <param name="Advisories">Known vulnerabilities of the product and version it gave away.</param>
public sealed record AuditedListener(
    ListenerObservation Observation,
    bool? InMx,
    IReadOnlyList<string> MxHosts,
    IReadOnlyList<AdvisoryMatch> Advisories);
