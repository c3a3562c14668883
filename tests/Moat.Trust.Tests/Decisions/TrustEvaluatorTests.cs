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
        var decision = TrustEvaluator.Decide(Lists, "bob@partner.test", ["alice@example.test"], authenticatedAndAligned: true, Now);

        Assert.Equal(TrustLevel.Trusted, decision.Level);
        Assert.Equal(TrustSource.Learned, decision.Match!.Entry.Source);
    }

    [Fact]
    public void AListedButUnauthenticatedSenderIsUnknownSoForgeryGainsNothing()
    {
        var decision = TrustEvaluator.Decide(Lists, "bob@partner.test", ["alice@example.test"], authenticatedAndAligned: false, Now);

        Assert.Equal(TrustLevel.Unknown, decision.Level);
        Assert.True(decision.ListedButUnauthenticated);
        Assert.Contains("does not count", decision.Evidence);
    }

    [Fact]
    public void AnUnlistedSenderIsUnknown()
    {
        var decision = TrustEvaluator.Decide(Lists, "eve@elsewhere.test", ["alice@example.test"], authenticatedAndAligned: true, Now);

        Assert.Equal(TrustLevel.Unknown, decision.Level);
        Assert.False(decision.ListedButUnauthenticated);
    }
}
