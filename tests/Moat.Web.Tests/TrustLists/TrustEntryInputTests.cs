using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustEntryInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(" Bob@Example.COM ", "bob@example.com")]
    [InlineData("Example.org.", "example.org")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    public void PatternsAreStoredInTheFormTheCliUses(string typed, string stored)
    {
        Assert.True(TrustEntryInput.TryParsePattern(typed, out var canonical, out var problem), problem);
        Assert.Equal(stored, canonical);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("org", "single label")]
    [InlineData("192.0.2.1", "IP address")]
    [InlineData("bob@@example.org", "more than one @")]
    [InlineData("<script>@example.org", "'<'")]
    public void AMistakeIsExplainedWithWhatToGiveInstead(string typed, string expected)
    {
        Assert.False(TrustEntryInput.TryParsePattern(typed, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.EndsWith(TrustEntryInput.PatternHelp, problem, StringComparison.Ordinal);
        Assert.False(char.IsLower(problem[0]), problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoExpiryKeepsTheEntry(string? days)
    {
        Assert.True(TrustEntryInput.TryParseExpiry(days, Now, out var expires, out _));
        Assert.Null(expires);
    }

    [Fact]
    public void AnExpiryIsCountedInDaysFromNow()
    {
        Assert.True(TrustEntryInput.TryParseExpiry("30", Now, out var expires, out _));
        Assert.Equal(Now.AddDays(30), expires);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("3651")]
    [InlineData("99999999999")]
    [InlineData("ten")]
    public void AnExpiryMustBeAWholeNumberOfDaysInRange(string days)
    {
        Assert.False(TrustEntryInput.TryParseExpiry(days, Now, out var expires, out var problem));
        Assert.Null(expires);
        Assert.Contains("1 to 3650", problem, StringComparison.Ordinal);
    }
}
