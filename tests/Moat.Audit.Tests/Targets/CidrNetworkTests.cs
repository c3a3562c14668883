using System.Net;
using Moat.Audit.Targets;

namespace Moat.Audit.Tests.Targets;

public sealed class CidrNetworkTests
{
    private static CidrNetwork Network(string text)
    {
        Assert.True(CidrNetwork.TryParse(text, out var network, out var error), error);
        return network;
    }

    [Theory]
    [InlineData("192.0.2.0/30", new[] { "192.0.2.1", "192.0.2.2" })]
    [InlineData("192.0.2.4/31", new[] { "192.0.2.4", "192.0.2.5" })]
    [InlineData("192.0.2.9/32", new[] { "192.0.2.9" })]
    [InlineData("2001:db8::/126", new[] { "2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3" })]
    [InlineData("10.0.0.254/31", new[] { "10.0.0.254", "10.0.0.255" })]
    public void Addresses_are_the_hosts_of_the_network(string text, string[] expected)
    {
        var network = Network(text);

        Assert.Equal(expected.Select(IPAddress.Parse), network.Addresses());
        Assert.Equal(expected.Length, (int)network.AddressCount);
    }

    [Fact]
    public void Addresses_carry_across_octets()
    {
        var addresses = Network("10.0.0.0/23").Addresses().ToList();

        Assert.Equal(510, addresses.Count);
        Assert.Equal(IPAddress.Parse("10.0.0.255"), addresses[254]);
        Assert.Equal(IPAddress.Parse("10.0.1.0"), addresses[255]);
        Assert.Equal(IPAddress.Parse("10.0.1.254"), addresses[^1]);
    }

    [Fact]
    public void Contains_checks_the_prefix_and_the_family()
    {
        var network = Network("192.0.2.0/28");

        Assert.True(network.Contains(IPAddress.Parse("192.0.2.15")));
        Assert.False(network.Contains(IPAddress.Parse("192.0.2.16")));
        Assert.False(network.Contains(IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [Fact]
    public void Networks_are_equal_by_prefix_and_length()
    {
        Assert.Equal(Network("192.0.2.0/24"), Network("192.0.2.0/24"));
        Assert.NotEqual(Network("192.0.2.0/24"), Network("192.0.2.0/25"));
        Assert.Equal(Network("2001:db8::/120").GetHashCode(), Network("2001:DB8::/120").GetHashCode());
    }
}
