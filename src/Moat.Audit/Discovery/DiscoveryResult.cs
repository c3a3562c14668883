namespace Moat.Audit.Discovery;

/// <summary>The outcome of discovery: the plan (DNS, scope), the scan's counts and the listeners found.</summary>
public sealed record DiscoveryResult
{
    public required DiscoveryPlan Plan { get; init; }

    public required PortScanResult Scan { get; init; }

    /// <summary>Every address and port that accepted a connection, ordered by address then port.</summary>
    public IReadOnlyList<ListenerEndpoint> Endpoints => Scan.Open;

    public IReadOnlyList<DomainReport> Domains => Plan.Domains;

    /// <summary>The MX records of all audited domains, as evidence for "reachable mail server not in MX".</summary>
    public IReadOnlyList<string> MxRecords => Domains.SelectMany(d => d.MxRecords).ToList();

    /// <summary>True when an MX of an audited domain names the endpoint's address; false when none does; null when unknown.</summary>
    public bool? IsInMx(ListenerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Plan.IsInMx(endpoint.Address);
    }

    /// <summary>The MX host names that resolve to the endpoint's address.</summary>
    public IReadOnlyList<string> MxHostsOf(ListenerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Plan.MxHostsByAddress.TryGetValue(endpoint.Address, out var hosts) ? hosts : [];
    }

    /// <summary>Endpoints that answer but that no MX names: mail servers an attacker finds and senders do not use.</summary>
    public IReadOnlyList<ListenerEndpoint> NotInMx => Endpoints.Where(e => IsInMx(e) == false).ToList();
}
