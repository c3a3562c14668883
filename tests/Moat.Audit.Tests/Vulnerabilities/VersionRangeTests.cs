using Moat.Audit.Vulnerabilities;

namespace Moat.Audit.Tests.Vulnerabilities;

public sealed class VersionRangeTests
{
    [Theory]
    [InlineData(">=4.87 <4.92", "4.87", true)]
    [InlineData(">=4.87 <4.92", "4.91", true)]
    [InlineData(">=4.87 <4.92", "4.91.9", true)]
    [InlineData(">=4.87 <4.92", "4.92", false)]
    [InlineData(">=4.87 <4.92", "4.92-RC1", true)]
    [InlineData(">=4.87 <4.92", "4.86.2", false)]
    [InlineData("<8.14.9", "8.14.8", true)]
    [InlineData("<8.14.9", "8.15.2", false)]
    [InlineData(">=6.4.0 <6.6.2", "6.6.1p1", true)]
    [InlineData(">=6.4.0 <6.6.2", "6.6.2p1", false)]
    [InlineData(">= 4.87, < 4.92", "4.90", true)]
    [InlineData("4.88", "4.88.0", true)]
    [InlineData("=4.88", "4.89", false)]
    [InlineData(">4.88 <=4.89", "4.89", true)]
    [InlineData(">4.88 <=4.89", "4.88", false)]
    [InlineData("*", "1.0", true)]
    public void A_version_is_in_a_range_when_every_constraint_holds(string range, string version, bool expected)
    {
        Assert.Equal(expected, VersionRange.Parse(range).Contains(SoftwareVersion.Parse(version)));
    }

    [Fact]
    public void The_range_text_is_normalised()
    {
        Assert.Equal(">=4.87 <4.92", VersionRange.Parse(" >= 4.87 ,<4.92 ").ToString());
        Assert.Equal("=4.88", VersionRange.Parse("==4.88").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(">=")]
    [InlineData(">=abc")]
    [InlineData("<4.92 and more")]
    [InlineData("~>4.9")]
    [InlineData(">=v4.9")]
    public void Nonsense_is_not_a_range(string text)
    {
        Assert.False(VersionRange.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }
}
