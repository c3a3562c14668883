using System.Net;
using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class HeloSanityTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.5");

    private static readonly SenderSystemOptions Ours = new()
    {
        LocalHostNames = ["mx.ours.test", "gateway"],
        LocalDomains = ["ours.test", "Other-Ours.TEST."],
    };

    [Theory]
    [InlineData("mail.example.com", HeloFinding.Valid)]
    [InlineData("MAIL.Example.COM.", HeloFinding.Valid)]
    [InlineData("mx_1.corp.example.com", HeloFinding.Valid)]
    [InlineData("xn--bcher-kva.example", HeloFinding.Valid)]
    [InlineData("a-b.c-d.example", HeloFinding.Valid)]
    [InlineData("", HeloFinding.Missing)]
    [InlineData("   ", HeloFinding.Missing)]
    [InlineData("mailserver", HeloFinding.NotFullyQualified)]
    [InlineData("localhost", HeloFinding.Localhost)]
    [InlineData("LOCALHOST.localdomain", HeloFinding.Localhost)]
    [InlineData("box.localhost", HeloFinding.Localhost)]
    [InlineData("127.0.0.5", HeloFinding.BareAddress)]
    [InlineData("203.0.113.9", HeloFinding.BareAddress)]
    [InlineData("::1", HeloFinding.BareAddress)]
    [InlineData("[127.0.0.5]", HeloFinding.AddressLiteral)]
    [InlineData("[127.0.0.6]", HeloFinding.LiteralMismatch)]
    [InlineData("[IPv6:::1]", HeloFinding.LiteralMismatch)]
    [InlineData("[127.0.0.5", HeloFinding.InvalidSyntax)]
    [InlineData("[]", HeloFinding.InvalidSyntax)]
    [InlineData("[mail.example.com]", HeloFinding.InvalidSyntax)]
    [InlineData("[IPv6:127.0.0.5]", HeloFinding.InvalidSyntax)]
    [InlineData("[127.0.5]", HeloFinding.InvalidSyntax)]
    [InlineData("-bad.example.com", HeloFinding.InvalidSyntax)]
    [InlineData("bad-.example.com", HeloFinding.InvalidSyntax)]
    [InlineData("a..example.com", HeloFinding.InvalidSyntax)]
    [InlineData(".example.com", HeloFinding.InvalidSyntax)]
    [InlineData("exa mple.com", HeloFinding.InvalidSyntax)]
    [InlineData("mail.example.123", HeloFinding.InvalidSyntax)]
    [InlineData("1.2.3.4.5", HeloFinding.InvalidSyntax)]
    [InlineData("127.0.5", HeloFinding.InvalidSyntax)]
    [InlineData("bücher.example", HeloFinding.InvalidSyntax)]
    [InlineData("mail!.example.com", HeloFinding.InvalidSyntax)]
    public void Classifies_helo_names(string helo, HeloFinding expected)
    {
        Assert.Equal(expected, HeloSanity.Evaluate(helo, Client, new SenderSystemOptions()));
    }

    [Fact]
    public void A_missing_helo_is_missing()
    {
        Assert.Equal(HeloFinding.Missing, HeloSanity.Evaluate(null, Client, new SenderSystemOptions()));
    }

    [Fact]
    public void Labels_and_names_over_the_dns_limits_are_invalid()
    {
        var longLabel = new string('a', 64) + ".example.com";
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".com"; // 259 characters
        Assert.Equal(HeloFinding.Valid, HeloSanity.Evaluate(new string('a', 63) + ".example.com", Client, new SenderSystemOptions()));
        Assert.Equal(HeloFinding.InvalidSyntax, HeloSanity.Evaluate(longLabel, Client, new SenderSystemOptions()));
        Assert.Equal(HeloFinding.InvalidSyntax, HeloSanity.Evaluate(longName, Client, new SenderSystemOptions()));
    }

    [Theory]
    [InlineData("[IPv6:::1]", HeloFinding.AddressLiteral)]
    [InlineData("[ipv6:0:0:0:0:0:0:0:1]", HeloFinding.AddressLiteral)]
    [InlineData("[::1]", HeloFinding.AddressLiteral)]
    [InlineData("[IPv6:::2]", HeloFinding.LiteralMismatch)]
    [InlineData("[127.0.0.1]", HeloFinding.LiteralMismatch)]
    public void Ipv6_literals_match_an_ipv6_client(string helo, HeloFinding expected)
    {
        Assert.Equal(expected, HeloSanity.Evaluate(helo, IPAddress.IPv6Loopback, new SenderSystemOptions()));
    }

    [Fact]
    public void An_ipv4_mapped_client_matches_its_ipv4_literal()
    {
        var mapped = IPAddress.Parse("::ffff:127.0.0.5");
        Assert.Equal(HeloFinding.AddressLiteral, HeloSanity.Evaluate("[127.0.0.5]", mapped, new SenderSystemOptions()));
    }

    [Theory]
    [InlineData("mx.ours.test", HeloFinding.ClaimsToBeUs)]
    [InlineData("MX.OURS.TEST.", HeloFinding.ClaimsToBeUs)]
    [InlineData("gateway", HeloFinding.ClaimsToBeUs)]
    [InlineData("ours.test", HeloFinding.ClaimsToBeUs)]
    [InlineData("anything.deep.ours.test", HeloFinding.ClaimsToBeUs)]
    [InlineData("relay.other-ours.test", HeloFinding.ClaimsToBeUs)]
    [InlineData("notours.test", HeloFinding.Valid)]
    [InlineData("ours.test.evil.example", HeloFinding.Valid)]
    [InlineData("gateway.example.com", HeloFinding.Valid)]
    public void Names_that_claim_to_be_us_are_flagged(string helo, HeloFinding expected)
    {
        Assert.Equal(expected, HeloSanity.Evaluate(helo, Client, Ours));
    }
}
