using Moat.Cli.Commands;

namespace Moat.Cli.Tests.Commands;

public sealed class TrustExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("12h", "2026-03-02T00:00:00Z")]
    [InlineData("30d", "2026-03-31T12:00:00Z")]
    [InlineData("30D", "2026-03-31T12:00:00Z")]
    [InlineData("2w", "2026-03-15T12:00:00Z")]
    [InlineData("2027-01-31", "2027-02-01T00:00:00Z")]
    [InlineData("2026-06-01T08:30:00Z", "2026-06-01T08:30:00Z")]
    [InlineData("2026-06-01T08:30:00+02:00", "2026-06-01T06:30:00Z")]
    [InlineData("2026-03-01", "2026-03-02T00:00:00Z")]
    public void DurationsAndDatesAreUnderstood(string text, string expected)
    {
        Assert.True(TrustExpiry.TryParse(text, Now, out var expires, out var problem), problem);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), expires);
    }

    [Theory]
    [InlineData("soon", "not understood")]
    [InlineData("0d", "longer than zero")]
    [InlineData("-3d", "not understood")]
    [InlineData("30", "not understood")]
    [InlineData("2026-02-28", "already past")]
    [InlineData("2025-12-31", "already past")]
    [InlineData("31/01/2027", "not understood")]
    [InlineData("999999999d", "too far")]
    public void OtherTextIsExplained(string text, string reason)
    {
        Assert.False(TrustExpiry.TryParse(text, Now, out _, out var problem));
        Assert.Contains(reason, problem);
        Assert.Contains("30d", problem);
    }
}
