namespace Moat.Audit.Discovery;

/// <summary>A snapshot for the live progress display; counts only grow.</summary>
public sealed record DiscoveryProgress
{
    public DiscoveryPhase Phase { get; init; }

    public int DomainsDone { get; init; }

    public int DomainsTotal { get; init; }

    public int HostsDone { get; init; }

    public int HostsTotal { get; init; }

    public int ConnectionsAttempted { get; init; }

    public int ConnectionsTotal { get; init; }

    public int OpenFound { get; init; }
}
