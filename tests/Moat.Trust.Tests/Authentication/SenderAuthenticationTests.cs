using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class SenderAuthenticationTests
{
    private static readonly SpfOutcome SpfPass = new(SpfResult.Pass, "bounce.example.test", null);
    private static readonly DkimOutcome DkimPass = new(DkimResult.Pass, "Example.Test", "sel", null);

    [Fact]
    public void A_dmarc_pass_is_authenticated_and_aligned()
    {
        var result = Result(SpfPass, [], Dmarc(DmarcResult.Pass, spfAligned: true));

        Assert.True(result.IsAuthenticatedAndAligned);
    }

    [Theory]
    [InlineData(DmarcResult.Fail)]
    [InlineData(DmarcResult.TempError)]
    [InlineData(DmarcResult.PermError)]
    public void Other_dmarc_results_are_not(DmarcResult dmarc)
    {
        Assert.False(Result(SpfPass, [DkimPass], Dmarc(dmarc, spfAligned: true, dkimAligned: true)).IsAuthenticatedAndAligned);
    }

    [Fact]
    public void Without_a_dmarc_record_an_aligned_spf_or_dkim_pass_is_enough()
    {
        Assert.True(Result(SpfPass, [], Dmarc(DmarcResult.None, spfAligned: true)).IsAuthenticatedAndAligned);
        Assert.True(Result(SpfPass, [DkimPass], Dmarc(DmarcResult.None, dkimAligned: true)).IsAuthenticatedAndAligned);
        Assert.False(Result(SpfPass, [DkimPass], Dmarc(DmarcResult.None)).IsAuthenticatedAndAligned);
        Assert.False(Result(SpfPass, [DkimPass], null).IsAuthenticatedAndAligned);
    }

    [Fact]
    public void The_envelope_domain_is_authenticated_by_spf_or_dkim_for_exactly_that_domain()
    {
        var spfOnly = Result(SpfPass, [], null);
        var dkimOnly = Result(new SpfOutcome(SpfResult.Fail, "bounce.example.test", null), [DkimPass], null);
        var failing = Result(new SpfOutcome(SpfResult.SoftFail, "example.test", null), [DkimPass with { Result = DkimResult.Fail }], null);

        Assert.True(spfOnly.IsEnvelopeDomainAuthenticated("Bounce.Example.Test."));
        Assert.False(spfOnly.IsEnvelopeDomainAuthenticated("example.test"));
        Assert.True(dkimOnly.IsEnvelopeDomainAuthenticated("example.test"));
        Assert.False(dkimOnly.IsEnvelopeDomainAuthenticated("bounce.example.test"));
        Assert.False(failing.IsEnvelopeDomainAuthenticated("example.test"));
        Assert.False(spfOnly.IsEnvelopeDomainAuthenticated("not a domain"));
    }

    private static SenderAuthentication Result(SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, DmarcOutcome? dmarc) =>
        new(spf, dkim, dmarc, "alice@example.test", "example.test");

    private static DmarcOutcome Dmarc(DmarcResult result, bool spfAligned = false, bool dkimAligned = false) =>
        new(result, "example.test", "example.test", DmarcPolicy.Reject, spfAligned, dkimAligned);
}
