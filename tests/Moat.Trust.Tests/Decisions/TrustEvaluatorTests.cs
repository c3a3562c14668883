using Moat.Storage.Trust;
using Moat.Trust.Decisions;
using Moat.Trust.Lists;

namespace Moat.Trust.Tests.Decisions;

public sealed class TrustEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustListSnapshot Lists = new([new TrustEntry("alice@example.test", "bob@partner.test", TrustSource.Learned, Now)]);

    [Fact]
    public void AListedAuthenticatedSenderIsTrusted()
    {
        var decision = TrustEvaluator.Decide(Lists, "bob@partner.test", identityAligned: true, "bob@partner.test", envelopeAuthenticated: true, ["alice@example.test"], Now);

        Assert.Equal(TrustLevel.Trusted, decision.Level);
        Assert.Equal(TrustSource.Learned, decision.Match!.Entry.Source);
    }

    [Fact]
    public void AListedButUnauthenticatedSenderIsUnknownSoForgeryGainsNothing()
    {
        var decision = TrustEvaluator.Decide(Lists, "bob@partner.test", identityAligned: false, "bob@partner.test", envelopeAuthenticated: false, ["alice@example.test"], Now);

        Assert.Equal(TrustLevel.Unknown, decision.Level);
        Assert.True(decision.ListedButUnauthenticated);
        Assert.Contains("does not count", decision.Evidence);
    }

    [Fact]
    public void AnUnlistedSenderIsUnknown()
    {
        var decision = TrustEvaluator.Decide(Lists, "eve@elsewhere.test", identityAligned: true, "eve@elsewhere.test", envelopeAuthenticated: true, ["alice@example.test"], Now);

        Assert.Equal(TrustLevel.Unknown, decision.Level);
        Assert.False(decision.ListedButUnauthenticated);
    }

    [Fact]
    public void AnAuthenticatedEnvelopeSenderWhoAnsweredAChallengeIsTrustedForFromAddressesOfTheSameDomain()
    {
        // The evaluation harness found a confirmed sender (root@) challenged again for mail whose From was jm@ of the same domain.
        var decision = TrustEvaluator.Decide(Lists, "jm@partner.test", identityAligned: false, "bob@partner.test", envelopeAuthenticated: true, ["alice@example.test"], Now);

        Assert.Equal(TrustLevel.Trusted, decision.Level);
    }

    [Theory]
    [InlineData("ceo@bank.test", true)]
    [InlineData("jm@partner.test", false)]
    public void TheEnvelopeSenderCountsNeitherForAnotherDomainsFromNorUnauthenticated(string from, bool envelopeAuthenticated)
    {
        var decision = TrustEvaluator.Decide(Lists, from, identityAligned: false, "bob@partner.test", envelopeAuthenticated, ["alice@example.test"], Now);

        Assert.Equal(TrustLevel.Unknown, decision.Level);
    }

    [Theory]
    [InlineData("dev-bounces@lists.partner.test")]
    [InlineData("bounces@partner.test")]
    public void APostOfAListedMailingListIsTrustedWhenTheListsEnvelopeIsAuthenticated(string envelope)
    {
        var lists = new TrustListSnapshot([new TrustEntry("alice@example.test", "dev@lists.partner.test", TrustSource.Manual, Now)]);

        var decision = TrustEvaluator.Decide(lists, "carol@elsewhere.test", identityAligned: false, envelope, envelopeAuthenticated: true, ["alice@example.test"], Now, "dev@lists.partner.test");

        Assert.Equal(TrustLevel.Trusted, decision.Level);
        Assert.Contains("mailing list", decision.Evidence);
    }

    [Theory]
    [InlineData("dev-bounces@lists.partner.test", false)]
    [InlineData("spam@spammer.test", true)]
    [InlineData("x@notpartner.test", true)]
    public void AListPostHeaderCountsNeitherUnauthenticatedNorFromAnotherDomain(string envelope, bool envelopeAuthenticated)
    {
        var lists = new TrustListSnapshot([new TrustEntry("alice@example.test", "dev@lists.partner.test", TrustSource.Manual, Now)]);

        var decision = TrustEvaluator.Decide(lists, "carol@elsewhere.test", identityAligned: false, envelope, envelopeAuthenticated, ["alice@example.test"], Now, "dev@lists.partner.test");

        Assert.Equal(TrustLevel.Unknown, decision.Level);
    }
}
