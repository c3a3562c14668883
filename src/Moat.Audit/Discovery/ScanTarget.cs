using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>One address and port to try, with the host name the address came from, if any.</summary>
public sealed record ScanTarget(IPAddress Address, int Port, string? HostName = null);
