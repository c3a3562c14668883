using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class HexPatternParserTests
{
    [Fact]
    public void Parses_exact_bytes()
    {
        var elements = HexPatternParser.Parse("41Ff", caseInsensitive: false);
        Assert.Equal(2, elements.Length);
        Assert.Equal((byte)0x41, elements[0].Value);
        Assert.Equal((byte)0xFF, elements[0].Mask);
        Assert.Equal((byte)0xFF, elements[1].Value);
    }

    [Fact]
    public void Parses_wildcards_and_nibbles()
    {
        var elements = HexPatternParser.Parse("41??a??b42", caseInsensitive: false);
        Assert.Equal(0, elements[1].Mask);
        Assert.True(elements[2].Matches(0xA7));
        Assert.False(elements[2].Matches(0xB7));
        Assert.True(elements[3].Matches(0x3B));
        Assert.False(elements[3].Matches(0x3C));
    }

    [Theory]
    [InlineData("4142{5}4344", 5, 5)]
    [InlineData("4142{5-}4344", 5, 5 + HexPatternParser.OpenGapLimit)]
    [InlineData("4142{-5}4344", 0, 5)]
    [InlineData("4142{2-9}4344", 2, 9)]
    [InlineData("4142*4344", 0, HexPatternParser.OpenGapLimit)]
    [InlineData("4142{1}{3}4344", 4, 4)]
    [InlineData("4142{1}*4344", 1, 1 + HexPatternParser.OpenGapLimit)]
    public void Parses_gaps(string hex, int min, int max)
    {
        var elements = HexPatternParser.Parse(hex, caseInsensitive: false);
        var gap = Assert.Single(elements, e => e.Kind == PatternElementKind.Gap);
        Assert.Equal(min, gap.MinGap);
        Assert.Equal(max, gap.MaxGap);
    }

    [Fact]
    public void Parses_alternatives_of_bytes_and_strings()
    {
        var elements = HexPatternParser.Parse("41(42|4344|45)46", caseInsensitive: false);
        var alternatives = elements[1];
        Assert.Equal(PatternElementKind.Alternatives, alternatives.Kind);
        Assert.Equal(3, alternatives.OptionValues.Length);
        Assert.Equal(new byte[] { 0x43, 0x44 }, alternatives.OptionValues[1]);
    }

    [Fact]
    public void Case_insensitive_folds_letters_only()
    {
        var elements = HexPatternParser.Parse("6131", caseInsensitive: true);
        Assert.True(elements[0].Matches((byte)'a'));
        Assert.True(elements[0].Matches((byte)'A'));
        Assert.False(elements[1].Matches(0x11));
    }

    [Theory]
    [InlineData("414", "odd number")]
    [InlineData("41zz", "not a hex digit")]
    [InlineData("41{5", "no closing")]
    [InlineData("41{x}42", "is not")]
    [InlineData("41{9-2}42", "above upper bound")]
    [InlineData("41(42", "no closing")]
    [InlineData("41(42)43", "at least two options")]
    [InlineData("*4142", "must not start or end")]
    [InlineData("4142{3}", "must not start or end")]
    [InlineData("", "empty")]
    public void Rejects_bad_syntax(string hex, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => HexPatternParser.Parse(hex, caseInsensitive: false));
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("41!(42|43)44")]
    [InlineData("41(B)4243")]
    [InlineData("41(4?|43)44")]
    public void Unsupported_features_are_reported_as_such(string hex)
    {
        Assert.Throws<NotSupportedException>(() => HexPatternParser.Parse(hex, caseInsensitive: false));
    }
}
