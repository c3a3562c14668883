using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>An address discovery will scan, and why it is in scope.</summary>
/// <param name="HostName">The host or MX name it came from, or null for a literal address or network member.</param>
/// <param name="Source">In words, e.g. "address", "network 192.0.2.0/28", "host mail.example.org", "MX of example.org".</param>
public sealed record PlannedAddress(IPAddress Address, string? HostName, string Source);
