using System.Net;
using Moat.Audit.Targets;

namespace Moat.Audit.Discovery;

/// <summary>
/// What discovery found in DNS and will scan: the domains' records, the resolved host names, each
/// address with the reason it is in scope, the ports, and which addresses some MX names.
/// </summary>
public sealed record DiscoveryPlan
{
    public required AuditScope Scope { get; init; }

    public IReadOnlyList<DomainReport> Domains { get; init; } = [];

    public IReadOnlyList<ResolvedHost> Hosts { get; init; } = [];

    /// <summary>Each address once, in the order: literal addresses, host names, MX hosts, networks.</summary>
    public IReadOnlyList<PlannedAddress> Addresses { get; init; } = [];

    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>For each address an MX (or implicit MX) of an audited domain resolves to, the MX host names.</summary>
    public IReadOnlyDictionary<IPAddress, IReadOnlyList<string>> MxHostsByAddress { get; init; } = new Dictionary<IPAddress, IReadOnlyList<string>>();

    /// <summary>Things the operator should know about the plan: names that did not resolve, the address limit reached, …</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every (address, port) to try, port by port so consecutive attempts hit different hosts.</summary>
    public IReadOnlyCollection<ScanTarget> Targets => new PlannedTargets(Addresses, Ports);

    /// <summary>
    /// Whether "not named by any MX" can be said at all: a domain was audited and every MX
    /// question about the domains got an answer. One failed lookup could hide the MX that names a host.
    /// </summary>
    public bool MxInformationComplete =>
        Domains.Count > 0 && Domains.All(d => !d.Failed(DomainRecordKind.Mx) && !d.Failed(DomainRecordKind.MxHostAddress));

    /// <summary>True when an MX of an audited domain names the address; false when none does; null when that cannot be known.</summary>
    public bool? IsInMx(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (MxHostsByAddress.ContainsKey(address))
        {
            return true;
        }

        return MxInformationComplete ? false : null;
    }
}
