namespace Moat.Storage.Tests;

public sealed class TrustNamesTests
{
    [Theory]
    [InlineData("example.org", "example.org")]
    [InlineData(" Example.ORG. ", "example.org")]
    [InlineData("Bob.Smith+tag@Mail.Example.org.", "bob.smith+tag@mail.example.org")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("münchen.example", "xn--mnchen-3ya.example")]
    [InlineData("jörg@münchen.example", "jörg@xn--mnchen-3ya.example")]
    public void PatternsAreNormalised(string input, string expected)
    {
        Assert.Equal(expected, TrustNames.NormalisePattern(input));
    }

    [Theory]
    [InlineData("*", "*")]
    [InlineData(" * ", "*")]
    [InlineData("Alice@Example.org", "alice@example.org")]
    public void OwnersAreNormalised(string input, string expected)
    {
        Assert.Equal(expected, TrustNames.NormaliseOwner(input));
    }

    [Theory]
    [InlineData("<bob@example.com>")]
    [InlineData("Bob <bob@example.com>")]
    [InlineData("bob@[192.0.2.1]")]
    [InlineData("bob@localhost")]
    [InlineData("*.example.com")]
    [InlineData("example.com/path")]
    public void OtherSpellingsAreRejected(string input)
    {
        Assert.False(TrustNames.TryNormalisePattern(input, out _, out var problem));
        Assert.Contains(input.Trim(), problem);
    }

    [Fact]
    public void TheExceptionSaysWhatAnOwnerIs()
    {
        var owner = "example.org";

        var ex = Assert.Throws<ArgumentException>(() => TrustNames.NormaliseOwner(owner));

        Assert.Equal(nameof(owner), ex.ParamName);
        Assert.Contains("* for the organisation", ex.Message);
    }
}
