using System.Text;
using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public sealed class Base64DecoderTests
{
    private static string Decode(Base64Variant variant, params string[] lines)
    {
        var decoder = new Base64Decoder(variant);
        var output = new List<byte>();
        foreach (var line in lines)
        {
            decoder.Decode(line, output);
        }

        decoder.Finish(output);
        return Encoding.Latin1.GetString(output.ToArray());
    }

    [Fact]
    public void EveryVariantDecodesCleanBase64()
    {
        foreach (var variant in Enum.GetValues<Base64Variant>())
        {
            Assert.Equal("hello, world", Decode(variant, "aGVsbG8s", "IHdvcmxk"));
            Assert.Equal("hi!", Decode(variant, "aGkh"));
            Assert.Equal("hi", Decode(variant, "aGk="));
        }
    }

    [Fact]
    public void JunkIsSkippedOrCutsTheLine()
    {
        Assert.Equal("hello, world", Decode(Base64Variant.SkipJunk, "aGVs%bG8s", "IHdv#cmxk"));
        Assert.Equal("hello, world", Decode(Base64Variant.CutLineAtJunk, "aGVsbG8s#junk", "IHdvcmxk"));
        Assert.Equal("hello, world", Decode(Base64Variant.PerLine, "aGVsbG8sX", "IHdvcmxkXX"));
    }

    [Fact]
    public void StrayPaddingIsReadEveryWay()
    {
        // "aGk=aGk=" is two padded groups on one line: Python's way reads both, the strict way stops after one.
        Assert.Equal("hihi", Decode(Base64Variant.PaddingEndsGroup, "aGk=aGk="));
        Assert.Equal("hi", Decode(Base64Variant.StopAtPadding, "aGk=aGk="));
        Assert.Equal("hello", Decode(Base64Variant.PaddingAsZero, "aGVsbG8="));
        Assert.Equal("\0\0\0hello", Decode(Base64Variant.PaddingAsZero, "====aGVsbG8="));
    }
}
