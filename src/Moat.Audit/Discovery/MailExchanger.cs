using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>One MX record of a domain with the addresses its host name resolves to.</summary>
/// <param name="HostName">The exchange, lower case, without the trailing dot.</param>
/// <param name="Addresses">Empty when the name does not resolve or the lookup failed (see the report's failures).</param>
public sealed record MailExchanger(int Preference, string HostName, IReadOnlyList<IPAddress> Addresses);
