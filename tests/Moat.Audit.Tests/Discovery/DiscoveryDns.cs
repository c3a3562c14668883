using System.Net;
using DnsClient;
using Moat.Testing;

namespace Moat.Audit.Tests.Discovery;

/// <summary>
/// One NSD for the discovery tests. Everything resolves to loopback addresses. Names outside the
/// served zones ("unserved.example") get REFUSED — a DNS failure as real as a SERVFAIL.
/// </summary>
public sealed class DiscoveryDns : IAsyncLifetime
{
    public NsdServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var full = new DnsZone("audit.test")
            .Mx("@", 20, "mx2")
            .Mx("@", 10, "mx1")
            .A("mx1", "127.0.0.1")
            .A("mx2", "127.0.0.2")
            .Aaaa("mx2", "::1")
            .A("@", "127.0.0.10")
            .Txt("@", "v=spf1 mx -all")
            .Txt("@", "google-site-verification=abc123")
            .Txt("_dmarc", "v=DMARC1; p=Reject; sp=quarantine; rua=mailto:dmarc@audit.test")
            .Txt("_mta-sts", "v=STSv1; id=20261128T000000")
            .Txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:tls@audit.test,https://reports.audit.test/tlsrpt")
            .A("www", "127.0.0.11");
        var bare = new DnsZone("bare.test")
            .A("@", "127.0.0.20");
        var odd = new DnsZone("odd.test")
            .Mx("@", 10, "mx")
            .Txt("@", "v=spf1 a -all")
            .Txt("@", "v=spf1 mx ~all")
            .Txt("_dmarc", "v=DMARC1; rua=mailto:d@odd.test")
            .Txt("_mta-sts", "v=STSv1; id=1")
            .Txt("_mta-sts", "v=STSv1; id=2")
            .Txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:a@odd.test")
            .Txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:b@odd.test");
        var nullMx = new DnsZone("nullmx.test")
            .NullMx("@")
            .A("@", "127.0.0.30")
            .Txt("@", "v=spf1 -all");
        var disc = new DnsZone("disc.test")
            .Mx("@", 10, "mx")
            .A("mx", "127.0.0.1")
            .A("other", "127.0.0.2")
            .Aaaa("other6", "::1");
        Server = await NsdServer.StartAsync(full, bare, odd, nullMx, disc);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client that asks only our NSD, without a cache.</summary>
    public ILookupClient Client() =>
        new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, Server.Port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromSeconds(2),
            Retries = 0,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

    /// <summary>A client whose server never answers: every lookup fails.</summary>
    public static ILookupClient Unreachable() =>
        new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, FreePort.Get()))
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
        });
}
