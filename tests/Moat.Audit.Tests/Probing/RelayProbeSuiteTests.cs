using System.Net;
using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing;

public sealed class RelayProbeSuiteTests
{
    [Fact]
    public void The_suite_covers_the_classic_tricks_with_exact_addresses()
    {
        var probes = RelayProbeSuite.Build("relay-test.invalid", "example.org", IPAddress.Parse("192.0.2.25"));

        var byTrick = probes.ToDictionary(p => p.Trick, p => (p.MailFrom, p.RcptTo));
        Assert.Equal(("audit@relay-test.invalid", "victim@relay-test.invalid"), byTrick[RelayTricks.ExternalToExternal]);
        Assert.Equal(("audit@relay-test.invalid", "victim@RELAY-TEST.INVALID"), byTrick[RelayTricks.ExternalToExternalUpperCase]);
        Assert.Equal(("audit@relay-test.invalid", "victim@relay-test.invalid."), byTrick[RelayTricks.ExternalToExternalTrailingDot]);
        Assert.Equal(("", "victim@relay-test.invalid"), byTrick[RelayTricks.NullSender]);
        Assert.Equal(("postmaster@example.org", "victim@relay-test.invalid"), byTrick[RelayTricks.SpoofedOwnDomain]);
        Assert.Equal(("audit@relay-test.invalid", "victim%relay-test.invalid@example.org"), byTrick[RelayTricks.PercentHack]);
        Assert.Equal(("audit@relay-test.invalid", "victim%RELAY-TEST.INVALID@example.org"), byTrick[RelayTricks.PercentHackUpperCase]);
        Assert.Equal(("audit@relay-test.invalid", "relay-test.invalid!victim@example.org"), byTrick[RelayTricks.BangPath]);
        Assert.Equal(("audit@relay-test.invalid", "RELAY-TEST.INVALID!victim@example.org"), byTrick[RelayTricks.BangPathUpperCase]);
        Assert.Equal(("audit@relay-test.invalid", "\"victim@relay-test.invalid\"@example.org"), byTrick[RelayTricks.QuotedLocalPart]);
        Assert.Equal(("audit@relay-test.invalid", "@example.org:victim@relay-test.invalid"), byTrick[RelayTricks.SourceRoute]);
        Assert.Equal(("audit@relay-test.invalid", "victim@[192.0.2.1]"), byTrick[RelayTricks.IpLiteral]);
        Assert.Equal(("audit@relay-test.invalid", "victim%relay-test.invalid@[192.0.2.25]"), byTrick[RelayTricks.IpLiteralPercentHack]);
        Assert.Equal(13, probes.Count);
    }

    [Fact]
    public void Without_an_own_domain_the_tricks_that_route_through_it_are_left_out()
    {
        var probes = RelayProbeSuite.Build("relay-test.invalid", null, IPAddress.Parse("192.0.2.25"));

        Assert.Equal(
            [RelayTricks.ExternalToExternal, RelayTricks.ExternalToExternalUpperCase, RelayTricks.ExternalToExternalTrailingDot, RelayTricks.NullSender, RelayTricks.IpLiteral, RelayTricks.IpLiteralPercentHack],
            probes.Select(p => p.Trick));
    }

    [Fact]
    public void Every_recipient_is_outside_or_routes_outside()
    {
        var probes = RelayProbeSuite.Build("relay-test.invalid", "example.org", IPAddress.Parse("192.0.2.25"));

        Assert.All(probes, p => Assert.True(
            p.RcptTo.Contains("relay-test.invalid", StringComparison.OrdinalIgnoreCase) || p.RcptTo.EndsWith("[192.0.2.1]", StringComparison.Ordinal),
            p.RcptTo));
    }

    [Theory]
    [InlineData("192.0.2.25", "[192.0.2.25]")]
    [InlineData("2001:db8::25", "[IPv6:2001:db8::25]")]
    [InlineData("::ffff:192.0.2.25", "[192.0.2.25]")]
    public void Address_literals_follow_rfc_5321(string address, string literal)
    {
        Assert.Equal(literal, RelayProbeSuite.AddressLiteral(IPAddress.Parse(address)));
    }
}
