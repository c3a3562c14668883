using System.Net;
using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class IPAddressPrefixTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 32, true)]
    [InlineData("127.0.0.1", "127.0.0.2", 32, false)]
    [InlineData("127.0.0.0", "127.0.0.255", 24, true)]
    [InlineData("127.0.0.128", "127.0.0.127", 25, false)]
    [InlineData("127.0.0.128", "127.0.0.200", 25, true)]
    [InlineData("127.1.2.3", "10.0.0.1", 0, true)]
    [InlineData("127.0.0.1", "::1", 0, false)]
    [InlineData("::1", "::1", 128, true)]
    [InlineData("2001:db8::", "2001:db8:ffff::1", 32, true)]
    [InlineData("2001:db8::", "2001:db9::1", 32, false)]
    [InlineData("2001:db8::", "2001:db8:8000::", 33, false)]
    public void Compares_the_leading_bits(string network, string address, int prefix, bool expected)
    {
        Assert.Equal(expected, IPAddressPrefix.Matches(IPAddress.Parse(network), IPAddress.Parse(address), prefix));
    }
}
