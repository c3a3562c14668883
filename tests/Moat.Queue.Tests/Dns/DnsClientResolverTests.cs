using System.Net;
using Moat.Queue.Dns;
using Moat.Testing;

namespace Moat.Queue.Tests.Dns;

public sealed class DnsClientResolverTests
{
    [Fact]
    public async Task Reads_mx_null_mx_nxdomain_and_addresses_from_a_real_server()
    {
        using var nsd = await NsdServer.StartAsync(
            new DnsZone("mail.test")
                .Mx("@", 20, "mx2")
                .Mx("@", 10, "mx1")
                .A("mx1", "127.0.0.1")
                .Aaaa("mx1", "::1")
                .A("mx2", "127.0.0.2")
                .Txt("@", "v=spf1 -all"),
            new DnsZone("nomail.test").NullMx("@"));
        var resolver = new DnsClientResolver(new Moat.Queue.Dns.DnsOptions { NameServers = [nsd.NameServer] });

        var mx = await resolver.ResolveMxAsync("mail.test", CancellationToken.None);
        Assert.True(mx.DomainExists);
        Assert.False(mx.IsNullMx);
        Assert.Equal([new MxHost(10, "mx1.mail.test"), new MxHost(20, "mx2.mail.test")], mx.Hosts.OrderBy(h => h.Preference));

        var nullMx = await resolver.ResolveMxAsync("nomail.test", CancellationToken.None);
        Assert.True(nullMx.IsNullMx);
        Assert.Empty(nullMx.Hosts);

        var missing = await resolver.ResolveMxAsync("nothing.mail.test", CancellationToken.None);
        Assert.False(missing.DomainExists);

        var addresses = await resolver.ResolveAddressesAsync("mx1.mail.test", CancellationToken.None);
        Assert.Equal([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("::1")], addresses);
        Assert.Empty(await resolver.ResolveAddressesAsync("nothing.mail.test", CancellationToken.None));
        Assert.Equal([IPAddress.Loopback], await resolver.ResolveAddressesAsync("127.0.0.1", CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_temporary_failure()
    {
        var resolver = new DnsClientResolver(new Moat.Queue.Dns.DnsOptions
        {
            NameServers = [$"127.0.0.1:{FreePort.Get()}"],
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
            UseCache = false,
        });

        await Assert.ThrowsAsync<DnsTemporaryException>(() => resolver.ResolveMxAsync("mail.test", CancellationToken.None));
    }
}
