using System.Net;

namespace Moat.Trust.Authentication;

/// <summary>
/// One parsed mechanism: the result it gives when it matches (its qualifier), the target
/// domain-spec (unexpanded macro-string; null means the current domain), the network for ip4/ip6,
/// and the CIDR prefix lengths used by a, mx, ip4 and ip6.
/// </summary>
internal sealed record SpfMechanism(
    SpfResult Qualifier,
    SpfMechanismKind Kind,
    string? DomainSpec = null,
    IPAddress? Network = null,
    int Ip4Prefix = 32,
    int Ip6Prefix = 128);
