using Moat.Audit.Vulnerabilities;

namespace Moat.Audit.Tests.Vulnerabilities;

public sealed class SoftwareVersionTests
{
    [Theory]
    [InlineData("4.92", "4.92.0", 0)]
    [InlineData("4.91", "4.92", -1)]
    [InlineData("4.92.2", "4.92.10", -1)]
    [InlineData("3.10.0", "3.9.9", 1)]
    [InlineData("8.15.2", "8.14.9", 1)]
    [InlineData("3.7.11", "3.7.9", 1)]
    [InlineData("6.6.1p1", "6.6.1", 1)]
    [InlineData("6.6.1p1", "6.6.2", -1)]
    [InlineData("6.6.2p1", "6.6.2p2", -1)]
    [InlineData("6.6.2P1", "6.6.2p1", 0)]
    [InlineData("4.92-RC1", "4.92", -1)]
    [InlineData("4.92-RC1", "4.92-RC2", -1)]
    [InlineData("4.92-RC3", "4.91.9", 1)]
    [InlineData("1.0beta2", "1.0rc1", -1)]
    [InlineData("1.0alpha", "1.0beta", -1)]
    [InlineData("4.96-RC1-11-315206fbf", "4.96", -1)]
    [InlineData("4.96-15+deb12u2", "4.96", 0)]
    [InlineData("8.15.2/8.15.2", "8.15.2", 0)]
    [InlineData("4.96 #2", "4.96", 0)]
    [InlineData("v3.7.11", "3.7.11", 0)]
    [InlineData("2.8.28", "2.8.9", 1)]
    public void Versions_compare_the_way_mail_servers_number_releases(string left, string right, int expected)
    {
        var a = SoftwareVersion.Parse(left);
        var b = SoftwareVersion.Parse(right);

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
        Assert.Equal(expected == 0, a.Equals(b));
        if (expected == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("unknown")]
    [InlineData("x4.9")]
    [InlineData(".4")]
    [InlineData("1.2.3.4.5.6.7")]
    [InlineData("12345678901")]
    public void Text_that_does_not_start_with_a_version_is_not_one(string text)
    {
        Assert.False(SoftwareVersion.TryParse(text, out _));
    }

    [Fact]
    public void The_parts_kind_and_build_tag_are_kept()
    {
        var portable = SoftwareVersion.Parse("6.6.1p1");
        var debian = SoftwareVersion.Parse("4.96-15+deb12u2");
        var sendmail = SoftwareVersion.Parse("8.15.2/8.15.2");

        Assert.Equal([6, 6, 1], portable.Parts);
        Assert.Equal(VersionReleaseKind.PatchRelease, portable.Kind);
        Assert.Equal("-15+deb12u2", debian.BuildTag);
        Assert.Equal(VersionReleaseKind.Release, debian.Kind);
        Assert.Equal("8.15.2", sendmail.ToString());
    }

    [Fact]
    public void Operators_follow_the_order()
    {
        var older = SoftwareVersion.Parse("4.91");
        var newer = SoftwareVersion.Parse("4.92");

        Assert.True(older < newer);
        Assert.True(newer > older);
        Assert.True(older <= SoftwareVersion.Parse("4.91.0"));
        Assert.True(newer >= SoftwareVersion.Parse("4.92.0"));
    }
}
