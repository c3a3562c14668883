using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>A host name from the scope and what it resolved to.</summary>
/// <param name="Error">Why it gave no addresses (NXDOMAIN, a failed lookup), or null.</param>
public sealed record ResolvedHost(string HostName, IReadOnlyList<IPAddress> Addresses, string? Error);
