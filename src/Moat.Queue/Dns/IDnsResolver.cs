using System.Net;

namespace Moat.Queue.Dns;

/// <summary>The DNS lookups delivery needs. Throws <see cref="DnsTemporaryException"/> for failures worth a retry.</summary>
public interface IDnsResolver
{
    Task<MxLookupResult> ResolveMxAsync(string domain, CancellationToken cancellationToken);

    /// <summary>A and AAAA records of a host (IPv4 first); empty when the name has none or does not exist.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken cancellationToken);
}
