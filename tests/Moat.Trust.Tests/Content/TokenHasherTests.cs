using Moat.Trust.Content;

namespace Moat.Trust.Tests.Content;

public sealed class TokenHasherTests
{
    [Fact]
    public void TheSameKeyGivesTheSameHashesAndAnotherKeyOthers()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var other = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        string[] tokens = ["viagra", "pair:cheap watches", "subject:hello", new string('x', 1_000)];

        var first = new TokenHasher(key).Hash(tokens);

        Assert.Equal(first, new TokenHasher(key).Hash(tokens));
        Assert.Equal(tokens.Length, first.Distinct().Count());
        Assert.Empty(first.Intersect(new TokenHasher(other).Hash(tokens)));
    }

    [Fact]
    public void AShortKeyIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new TokenHasher(new byte[16]));
    }
}
