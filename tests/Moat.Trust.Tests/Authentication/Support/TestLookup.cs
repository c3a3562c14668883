using System.Net;
using DnsClient;
using Moat.Testing;

namespace Moat.Trust.Tests.Authentication.Support;

/// <summary>DnsClient lookup clients for tests: one asking a test NSD, one asking nobody.</summary>
internal static class TestLookup
{
    public static LookupClient For(NsdServer server) => Create(server.EndPoint, TimeSpan.FromSeconds(3));

    /// <summary>A client whose server port is closed: every question fails (timeout or ICMP refusal).</summary>
    public static LookupClient Unreachable() => Create(new IPEndPoint(IPAddress.Loopback, FreePort.Get()), TimeSpan.FromMilliseconds(300));

    private static LookupClient Create(IPEndPoint server, TimeSpan timeout) =>
        new(new LookupClientOptions(new NameServer(server))
        {
            UseCache = false,
            Timeout = timeout,
            Retries = 0,
            UseTcpFallback = true,
        });
}
