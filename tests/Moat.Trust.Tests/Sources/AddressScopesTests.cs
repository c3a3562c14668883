using System.Net;
using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class AddressScopesTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("198.51.100.7", true)]
    [InlineData("2001:db8::25", true)]
    public void Sorts_addresses(string address, bool isPublic)
    {
        Assert.Equal(isPublic, AddressScopes.IsPublic(IPAddress.Parse(address)));
    }
}
