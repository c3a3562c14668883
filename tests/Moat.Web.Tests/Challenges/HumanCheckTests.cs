using Microsoft.AspNetCore.DataProtection;
using Moat.Testing;
using Moat.Web.Challenges;

namespace Moat.Web.Tests.Challenges;

public sealed class HumanCheckTests
{
    private readonly ManualClock clock = new();
    private readonly HumanCheck check;

    public HumanCheckTests() => check = new HumanCheck(new EphemeralDataProtectionProvider(), clock);

    [Fact]
    public void APersonWhoReadsThePageFirstPasses()
    {
        var stamp = check.IssueStamp();
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(HumanCheckResult.Passed, check.Check(stamp, trap: string.Empty));
    }

    [Fact]
    public void AnInstantPostIsAskedAgain()
    {
        var stamp = check.IssueStamp();

        Assert.Equal(HumanCheckResult.TooFast, check.Check(stamp, trap: null));
    }

    [Fact]
    public void AFilledTrapFieldIsRefused()
    {
        var stamp = check.IssueStamp();
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(HumanCheckResult.Refused, check.Check(stamp, trap: "http://spam.test"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1700000000000")]
    public void AMissingOrForgedStampIsRefused(string? stamp) =>
        Assert.Equal(HumanCheckResult.Refused, check.Check(stamp, trap: null));

    [Fact]
    public void AStampOlderThanADayIsRefused()
    {
        var stamp = check.IssueStamp();
        clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(HumanCheckResult.Refused, check.Check(stamp, trap: null));
    }
}
