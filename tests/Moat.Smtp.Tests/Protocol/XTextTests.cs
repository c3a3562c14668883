using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class XTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a+2Bb", "a+b")]
    [InlineData("a+3Db+20c", "a=b c")]
    [InlineData("", "")]
    public void Decodes(string text, string expected)
    {
        Assert.True(XText.TryDecode(text, out var decoded));
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("a+")]
    [InlineData("a+2")]
    [InlineData("a+2b")]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("é")]
    public void Rejects(string text)
    {
        Assert.False(XText.TryDecode(text, out _));
    }
}
