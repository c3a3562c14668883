namespace Moat.Queue.Dns;

/// <summary>The answer to an MX query.</summary>
/// <param name="Hosts">MX records as published (unordered); empty when there are none.</param>
/// <param name="DomainExists">False for NXDOMAIN.</param>
/// <param name="IsNullMx">The domain publishes "MX 0 ." (RFC 7505): it accepts no mail.</param>
public sealed record MxLookupResult(IReadOnlyList<MxHost> Hosts, bool DomainExists, bool IsNullMx);
