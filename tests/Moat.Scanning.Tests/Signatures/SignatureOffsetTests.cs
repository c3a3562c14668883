using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class SignatureOffsetTests
{
    [Theory]
    [InlineData("*", 12345, 20000, true)]
    [InlineData("10", 10, 100, true)]
    [InlineData("10", 11, 100, false)]
    [InlineData("10,5", 15, 100, true)]
    [InlineData("10,5", 16, 100, false)]
    [InlineData("EOF-20", 80, 100, true)]
    [InlineData("EOF-20", 81, 100, false)]
    [InlineData("EOF-20,3", 83, 100, true)]
    public void Allows_the_documented_starts(string text, long start, long size, bool allowed)
    {
        Assert.Equal(allowed, SignatureOffset.Parse(text).Allows(start, size));
    }

    [Theory]
    [InlineData("EP+10")]
    [InlineData("SL+4")]
    [InlineData("S2+0")]
    [InlineData("SE1")]
    [InlineData("VI")]
    public void Pe_offsets_are_unsupported(string text)
    {
        Assert.Throws<NotSupportedException>(() => SignatureOffset.Parse(text));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("10,")]
    [InlineData("EOF+3")]
    [InlineData("-5")]
    public void Bad_offsets_are_errors(string text)
    {
        Assert.Throws<FormatException>(() => SignatureOffset.Parse(text));
    }
}
