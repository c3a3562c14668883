using System.Net;
using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class SpfRecordParserTests
{
    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("v=spf1 -all", true)]
    [InlineData("V=SPF1 -all", true)]
    [InlineData("v=spf10 -all", false)]
    [InlineData("v=spf1-all", false)]
    [InlineData("spf1 -all", false)]
    [InlineData(" v=spf1 -all", false)]
    public void Recognises_spf_records_by_their_version(string text, bool expected)
    {
        Assert.Equal(expected, SpfRecordParser.IsSpfRecord(text));
    }

    [Fact]
    public void Parses_all_mechanisms_with_qualifiers_and_cidr_lengths()
    {
        var record = SpfRecordParser.Parse(
            "v=spf1 +all -include:_spf.example.test ~a ?a:host.example.test/24 mx//64 MX:mail.example.test/16//48 "
            + "ptr ptr:example.test ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.rbl.example.test ip4:127.0.0.1 ip6:::1");

        Assert.Equal(
            [
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.All),
                new SpfMechanism(SpfResult.Fail, SpfMechanismKind.Include, "_spf.example.test"),
                new SpfMechanism(SpfResult.SoftFail, SpfMechanismKind.A),
                new SpfMechanism(SpfResult.Neutral, SpfMechanismKind.A, "host.example.test", Ip4Prefix: 24),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Mx, Ip6Prefix: 64),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Mx, "mail.example.test", Ip4Prefix: 16, Ip6Prefix: 48),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ptr),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ptr, "example.test"),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ip4, Network: IPAddress.Parse("192.0.2.0"), Ip4Prefix: 24),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ip6, Network: IPAddress.Parse("2001:db8::"), Ip6Prefix: 32),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Exists, "%{i}.rbl.example.test"),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ip4, Network: IPAddress.Parse("127.0.0.1")),
                new SpfMechanism(SpfResult.Pass, SpfMechanismKind.Ip6, Network: IPAddress.IPv6Loopback),
            ],
            record.Mechanisms);
        Assert.Null(record.Redirect);
        Assert.Null(record.Explanation);
    }

    [Fact]
    public void Reads_redirect_and_exp_and_ignores_unknown_modifiers_and_extra_spaces()
    {
        var record = SpfRecordParser.Parse("v=spf1   ip4:192.0.2.1  Redirect=_spf.example.test exp=explain.%{d} moo.cow-far_out=man:dog/cat ");

        Assert.Single(record.Mechanisms);
        Assert.Equal("_spf.example.test", record.Redirect);
        Assert.Equal("explain.%{d}", record.Explanation);
    }

    [Theory]
    [InlineData("v=spf1 foo")]
    [InlineData("v=spf1 all:example.test")]
    [InlineData("v=spf1 include")]
    [InlineData("v=spf1 include:")]
    [InlineData("v=spf1 exists")]
    [InlineData("v=spf1 a:")]
    [InlineData("v=spf1 a:192.0.2.1")]
    [InlineData("v=spf1 a/33")]
    [InlineData("v=spf1 a//129")]
    [InlineData("v=spf1 a/024")]
    [InlineData("v=spf1 mx/")]
    [InlineData("v=spf1 ip4")]
    [InlineData("v=spf1 ip4:192.0.2")]
    [InlineData("v=spf1 ip4:192.0.2.256")]
    [InlineData("v=spf1 ip4:192.0.2.01")]
    [InlineData("v=spf1 ip4:192.0.2.1/33")]
    [InlineData("v=spf1 ip4:192.0.2.1/")]
    [InlineData("v=spf1 ip4:2001:db8::1")]
    [InlineData("v=spf1 ip6:192.0.2.1")]
    [InlineData("v=spf1 ip6:2001:db8::/129")]
    [InlineData("v=spf1 ip6:fe80::1%eth0")]
    [InlineData("v=spf1 redirect=a.test redirect=b.test")]
    [InlineData("v=spf1 exp=a.test exp=b.test")]
    [InlineData("v=spf1 redirect=")]
    [InlineData("v=spf1 exists:%{x}.example.test")]
    [InlineData("v=spf1 foo=%q")]
    [InlineData("v=spf1 -all\tip4:192.0.2.1")]
    [InlineData("v=spf1 =all")]
    public void Any_syntax_error_is_permerror(string text)
    {
        var error = Assert.Throws<SpfException>(() => SpfRecordParser.Parse(text));
        Assert.Equal(SpfResult.PermError, error.Result);
    }
}
