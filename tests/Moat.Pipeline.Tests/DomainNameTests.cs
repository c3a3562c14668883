namespace Moat.Pipeline.Tests;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("example.test", "example.test")]
    [InlineData("EXAMPLE.Test", "example.test")]
    [InlineData("example.test.", "example.test")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.EXAMPLE.", "xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    [InlineData("a-b.c0.example", "a-b.c0.example")]
    public void Valid_names_are_normalized_to_lower_case_ascii_without_the_trailing_dot(string domain, string expected)
    {
        Assert.True(DomainName.TryNormalize(domain, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("example.test..")]
    [InlineData("a..example")]
    [InlineData("-a.example")]
    [InlineData("a-.example")]
    [InlineData("under_score.example")]
    [InlineData("ours@other.example")]
    [InlineData("ours%other.example")]
    [InlineData("sp ace.example")]
    [InlineData("[192.0.2.1]")]
    public void Invalid_names_are_refused(string domain)
    {
        Assert.False(DomainName.TryNormalize(domain, out _));
    }

    [Fact]
    public void Length_limits_are_enforced()
    {
        var label63 = new string('a', 63);
        Assert.True(DomainName.TryNormalize(label63 + ".example", out _));
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".example", out _));

        var name253 = string.Join('.', label63, label63, label63, new string('a', 61));
        Assert.Equal(253, name253.Length);
        Assert.True(DomainName.TryNormalize(name253, out _));
        Assert.False(DomainName.TryNormalize(name253 + "a", out _));
    }

    [Theory]
    [InlineData("example.test", true)]
    [InlineData("a.b.c.example", true)]
    [InlineData("localhost", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("host.123", false)]
    [InlineData("host.a1", true)]
    public void Fully_qualified_means_two_labels_and_a_top_label_that_is_not_numeric(string canonical, bool expected)
    {
        Assert.Equal(expected, DomainName.IsFullyQualified(canonical));
    }

    [Theory]
    [InlineData("[192.0.2.1]", true)]
    [InlineData("[IPv6:2001:db8::1]", true)]
    [InlineData("[ipv6:::1]", true)]
    [InlineData("[192.0.2]", false)]
    [InlineData("[1]", false)]
    [InlineData("[256.0.0.1]", false)]
    [InlineData("[2001:db8::1]", false)]
    [InlineData("[IPv6:192.0.2.1]", false)]
    [InlineData("[IPv6:fe80::1%eth0]", false)]
    [InlineData("[example.test]", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("[]", false)]
    public void Address_literals_are_checked_strictly(string literal, bool expected)
    {
        Assert.Equal(expected, DomainName.IsValidAddressLiteral(literal));
    }
}
