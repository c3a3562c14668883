using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class PatternElementTests
{
    [Theory]
    [InlineData(0x41, 0xFF)]
    [InlineData(0x00, 0x00)]
    [InlineData(0x0A, 0x0F)]
    [InlineData(0xA0, 0xF0)]
    [InlineData(0x41, 0xDF)]
    public void Usual_byte_elements_are_shared_and_match_as_before(byte value, byte mask)
    {
        var element = PatternElement.Byte(value, mask);
        Assert.Same(element, PatternElement.Byte(value, mask));
        Assert.Equal(PatternElementKind.Byte, element.Kind);
        Assert.Equal(mask, element.Mask);
        Assert.Equal((byte)(value & mask), element.Value);
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal((b & mask) == (value & mask), element.Matches((byte)b));
        }
    }

    [Fact]
    public void Unusual_masks_still_work()
    {
        var element = PatternElement.Byte(0x13, 0x33);
        Assert.Equal(0x13 & 0x33, element.Value);
        Assert.True(element.Matches(0x13));
        Assert.False(element.Matches(0x10));
    }

    [Fact]
    public void Parsed_patterns_share_their_byte_elements()
    {
        var first = HexPatternParser.Parse("4142??43", caseInsensitive: false);
        var second = HexPatternParser.Parse("41??4243", caseInsensitive: false);
        Assert.Same(first[0], second[0]);
        Assert.Same(first[2], second[1]);
    }
}
