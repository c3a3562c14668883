using Moat.Trust.Challenges;
using Moat.Trust.Messages;

namespace Moat.Trust.Tests.Challenges;

public sealed class ChallengeEligibilityTests
{
    private static readonly MessageTraits Personal = new() { Subject = "hello" };

    [Fact]
    public void AnAuthenticatedPersonalSenderMayBeChallenged()
    {
        Assert.Null(ChallengeEligibility.WhyNot("bob@partner.test", Personal, envelopeDomainAuthenticated: true));
    }

    [Fact]
    public void AnUnauthenticatedSenderIsNeverChallengedSoForgedAddressesGetNothing()
    {
        Assert.Contains("not authenticated", ChallengeEligibility.WhyNot("bob@partner.test", Personal, envelopeDomainAuthenticated: false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MAILER-DAEMON@partner.test")]
    [InlineData("postmaster@partner.test")]
    [InlineData("noreply@partner.test")]
    [InlineData("no-reply@partner.test")]
    [InlineData("bounces+12345@partner.test")]
    public void SystemSendersAreNeverChallenged(string sender)
    {
        Assert.NotNull(ChallengeEligibility.WhyNot(sender, Personal, envelopeDomainAuthenticated: true));
    }

    [Fact]
    public void ListsAutomaticMailAndChallengesAreNeverChallenged()
    {
        Assert.NotNull(ChallengeEligibility.WhyNot("bob@partner.test", Personal with { IsListTraffic = true }, true));
        Assert.NotNull(ChallengeEligibility.WhyNot("bob@partner.test", Personal with { IsAutomatic = true }, true));
        Assert.NotNull(ChallengeEligibility.WhyNot("bob@partner.test", Personal with { IsChallenge = true, IsAutomatic = true }, true));
    }
}
