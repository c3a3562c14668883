namespace Moat.Scanning.Tests.Signatures;

public class LogicalSignatureTests
{
    // Subsignatures: 0 "alpha", 1 "beta", 2 "gamma".
    private const string Subsigs = "616c706861;62657461;67616d6d61";

    private static bool Matches(string expression, string content, string target = "Target:0", string subsigs = Subsigs) =>
        SignatureTestData.ScanAllWays(SignatureTestData.Ldb($"L;{target};{expression};{subsigs}"), SignatureTestData.Ascii(content)).Count == 1;

    [Theory]
    [InlineData("0&1", "alpha beta", true)]
    [InlineData("0&1", "alpha gamma", false)]
    [InlineData("0|1", "just beta", true)]
    [InlineData("0|1", "just gamma", false)]
    [InlineData("0&(1|2)", "alpha gamma", true)]
    [InlineData("0&(1|2)", "beta gamma", false)]
    [InlineData("0|1&2", "alpha", true)]
    [InlineData("0|1&2", "beta", false)]
    [InlineData("0=2", "alpha alpha", true)]
    [InlineData("0=2", "alpha alpha alpha", false)]
    [InlineData("0>1", "alpha alpha", true)]
    [InlineData("0>1", "alpha", false)]
    [InlineData("0<2&1", "alpha beta", true)]
    [InlineData("0<2&1", "alpha alpha beta", false)]
    [InlineData("0=0&1", "beta", true)]
    [InlineData("0=0", "nothing at all", true)]
    [InlineData("0<1|1", "nothing at all", true)]
    [InlineData("0=0", "alpha", false)]
    [InlineData("(0|1)>2", "alpha beta alpha", true)]
    [InlineData("(0|1)>2", "alpha beta", false)]
    [InlineData("(0&1)=3&2", "alpha beta beta gamma", true)]
    public void Expressions(string expression, string content, bool matches)
    {
        Assert.Equal(matches, Matches(expression, content));
    }

    [Fact]
    public void Case_insensitive_modifier()
    {
        Assert.True(Matches("0&1", "ALPHA BeTa", subsigs: "616c706861::i;62657461::i"));
        Assert.False(Matches("0&1", "ALPHA BeTa", subsigs: "616c706861::i;62657461"));
        Assert.True(Matches("0", "xALPHAx", subsigs: "616c706861::ia"));
    }

    [Fact]
    public void Subsignature_offsets()
    {
        Assert.True(Matches("0&1", "alpha....beta", subsigs: "0:616c706861;EOF-4:62657461"));
        Assert.False(Matches("0&1", "xalpha....beta", subsigs: "0:616c706861;EOF-4:62657461"));
    }

    [Fact]
    public void Target_and_file_size()
    {
        Assert.True(Matches("0", "MZ alpha", target: "Target:1,Engine:51-255"));
        Assert.False(Matches("0", "ZM alpha", target: "Target:1"));
        Assert.True(Matches("0", "alpha", target: "Target:0,FileSize:5-10"));
        Assert.False(Matches("0", "alpha and more", target: "Target:0,FileSize:5-10"));
    }

    [Fact]
    public void Counts_distinct_starts_of_overlapping_matches()
    {
        Assert.True(Matches("0=3", "aaaa", subsigs: "6161"));
    }
}
