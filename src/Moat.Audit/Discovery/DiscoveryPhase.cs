namespace Moat.Audit.Discovery;

/// <summary>The stages of discovery, in order.</summary>
public enum DiscoveryPhase
{
    /// <summary>Reading the domains' MX, SPF, DMARC, MTA-STS and TLS-RPT records.</summary>
    LookingUpDomains,

    /// <summary>Resolving the given host names.</summary>
    ResolvingHosts,

    /// <summary>Connecting to every address and port.</summary>
    Scanning,

    Finished,
}
