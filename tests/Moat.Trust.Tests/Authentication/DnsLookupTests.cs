using System.Net;
using System.Net.Sockets;
using DnsClient;
using Moat.Testing;
using Moat.Trust.Authentication;
using Moat.Trust.Tests.Authentication.Support;

namespace Moat.Trust.Tests.Authentication;

public sealed class DnsLookupTests(DnsLookupTests.Zones dns) : IClassFixture<DnsLookupTests.Zones>
{
    private readonly DnsLookup lookup = new(dns.Dns);

    [Fact]
    public async Task Joins_the_strings_of_each_txt_record()
    {
        var answer = await lookup.TxtAsync("split.lookup.test", CancellationToken.None);

        Assert.Equal(DnsStatus.Found, answer.Status);
        Assert.Equal(["first half, second half", new string('k', 300)], answer.Records.Order());
    }

    [Fact]
    public async Task Tells_no_data_from_no_such_name_from_failure()
    {
        var noData = await lookup.TxtAsync("host.lookup.test", CancellationToken.None);
        var noName = await lookup.TxtAsync("missing.lookup.test", CancellationToken.None);
        var refused = await lookup.TxtAsync("other.invalid", CancellationToken.None);
        var unreachable = await new DnsLookup(TestLookup.Unreachable()).TxtAsync("host.lookup.test", CancellationToken.None);

        Assert.Equal((DnsStatus.NoData, true), (noData.Status, noData.IsVoid));
        Assert.Equal((DnsStatus.NxDomain, true), (noName.Status, noName.IsVoid));
        Assert.Equal((DnsStatus.Failed, false), (refused.Status, refused.IsVoid));
        Assert.Equal(DnsStatus.Failed, unreachable.Status);
    }

    [Fact]
    public async Task A_client_that_throws_on_dns_errors_still_reports_nxdomain_as_nxdomain()
    {
        var throwing = new DnsLookup(new LookupClient(new LookupClientOptions(new NameServer(dns.Server.EndPoint))
        {
            UseCache = false,
            ThrowDnsErrors = true,
            Retries = 0,
        }));

        Assert.Equal(DnsStatus.NxDomain, (await throwing.TxtAsync("missing.lookup.test", CancellationToken.None)).Status);
        Assert.Equal(DnsStatus.Failed, (await throwing.TxtAsync("other.invalid", CancellationToken.None)).Status);
        Assert.Equal(DnsStatus.NoData, (await throwing.TxtAsync("host.lookup.test", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Reads_addresses_mx_hosts_and_ptr_names()
    {
        var v4 = await lookup.AddressesAsync("host.lookup.test", AddressFamily.InterNetwork, CancellationToken.None);
        var v6 = await lookup.AddressesAsync("host.lookup.test", AddressFamily.InterNetworkV6, CancellationToken.None);
        var mx = await lookup.MxAsync("lookup.test", CancellationToken.None);
        var ptr = await lookup.PtrAsync(IPAddress.Parse("127.0.0.1"), CancellationToken.None);

        Assert.Equal([IPAddress.Parse("127.0.0.1")], v4.Records);
        Assert.Equal([IPAddress.IPv6Loopback], v6.Records);
        Assert.Equal(["mx1.lookup.test", "mx2.lookup.test"], mx.Records);
        Assert.Equal(["host.lookup.test"], ptr.Records);
    }

    [Theory]
    [InlineData("example.test", true)]
    [InlineData("example.test.", true)]
    [InlineData("_spf.strong+bad.example.test", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("a..test", false)]
    [InlineData("a b.test", false)]
    [InlineData("caf\u00e9.test", false)]
    public void Only_sends_names_that_can_exist(string name, bool expected)
    {
        Assert.Equal(expected, DnsLookup.IsQueryable(name));
    }

    [Fact]
    public void Labels_are_at_most_63_and_names_at_most_253_characters()
    {
        Assert.True(DnsLookup.IsQueryable(new string('a', 63) + ".test"));
        Assert.False(DnsLookup.IsQueryable(new string('a', 64) + ".test"));
        Assert.True(DnsLookup.IsQueryable(string.Join('.', Enumerable.Repeat("abcdefghi", 25)) + ".abc"));
        Assert.False(DnsLookup.IsQueryable(string.Join('.', Enumerable.Repeat("abcdefghi", 25)) + ".abcd"));
    }

    [Fact]
    public async Task A_name_that_cannot_exist_is_not_asked_and_counts_as_nxdomain()
    {
        var answer = await new DnsLookup(TestLookup.Unreachable()).TxtAsync("a..test", CancellationToken.None);

        Assert.Equal(DnsStatus.NxDomain, answer.Status);
    }

    public sealed class Zones : DnsFixture
    {
        protected override DnsZone[] CreateZones() =>
        [
            new DnsZone("lookup.test")
                .TxtStrings("split", "first half, ", "second half")
                .Txt("split", new string('k', 300))
                .A("host", "127.0.0.1")
                .Aaaa("host", "::1")
                .Mx("@", 20, "mx2")
                .Mx("@", 10, "mx1"),
            new DnsZone("127.in-addr.arpa").Ptr("1.0.0", "host.lookup.test."),
        ];
    }
}
