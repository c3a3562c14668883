using Moat.Testing;
using Moat.Trust.Authentication;
using Moat.Trust.Tests.Authentication.Support;

namespace Moat.Trust.Tests.Authentication;

public sealed class DmarcEvaluatorTests(DmarcEvaluatorTests.Zones dns) : IClassFixture<DmarcEvaluatorTests.Zones>
{
    private readonly DmarcEvaluator evaluator = new(dns.Dns);

    [Fact]
    public async Task Passes_through_an_spf_pass_for_the_same_domain()
    {
        var outcome = await EvaluateAsync("shop.test", Spf("shop.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "shop.test", "shop.test", DmarcPolicy.Reject, SpfAligned: true, DkimAligned: false), outcome);
    }

    [Fact]
    public async Task Passes_through_a_dkim_pass_for_the_same_domain()
    {
        var outcome = await EvaluateAsync("shop.test", Spf("other.test"), Dkim("Shop.Test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "shop.test", "shop.test", DmarcPolicy.Reject, SpfAligned: false, DkimAligned: true), outcome);
    }

    [Fact]
    public async Task Relaxed_alignment_accepts_a_subdomain_of_the_organizational_domain()
    {
        var spf = await EvaluateAsync("shop.test", Spf("bounce.shop.test"));
        var dkim = await EvaluateAsync("news.shop.test", Spf("other.test"), Dkim("mail.shop.test"));

        Assert.Equal(DmarcResult.Pass, spf.Result);
        Assert.True(spf.SpfAligned);
        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "news.shop.test", "shop.test", DmarcPolicy.Reject, false, true), dkim);
    }

    [Fact]
    public async Task Fails_with_p_reject_when_nothing_aligned_passed()
    {
        var outcome = await EvaluateAsync(
            "shop.test",
            Spf("other.test"),
            Dkim("other.test"),
            new DkimOutcome(DkimResult.Fail, "shop.test", "sel", "body hash did not verify"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "shop.test", "shop.test", DmarcPolicy.Reject, false, false), outcome);
    }

    [Fact]
    public async Task An_spf_result_other_than_pass_does_not_count()
    {
        var outcome = await EvaluateAsync("shop.test", new SpfOutcome(SpfResult.SoftFail, "shop.test", null));

        Assert.Equal(DmarcResult.Fail, outcome.Result);
        Assert.False(outcome.SpfAligned);
    }

    [Fact]
    public async Task Strict_alignment_needs_the_exact_domain()
    {
        var subdomain = await EvaluateAsync("strict.test", Spf("bounce.strict.test"), Dkim("mail.strict.test"));
        var exact = await EvaluateAsync("strict.test", Spf("strict.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "strict.test", "strict.test", DmarcPolicy.Reject, false, false), subdomain);
        Assert.Equal(DmarcResult.Pass, exact.Result);
    }

    [Fact]
    public async Task A_subdomain_gets_the_sp_policy_of_its_organizational_domain()
    {
        var outcome = await EvaluateAsync("news.parent.test", Spf("other.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "news.parent.test", "parent.test", DmarcPolicy.Quarantine, false, false), outcome);
    }

    [Fact]
    public async Task A_subdomain_with_its_own_record_uses_its_own_p()
    {
        var own = await EvaluateAsync("own.parent.test", Spf("other.test"));
        var parent = await EvaluateAsync("parent.test", Spf("other.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "own.parent.test", "own.parent.test", DmarcPolicy.None, false, false), own);
        Assert.Equal(DmarcPolicy.Reject, parent.Policy);
    }

    [Fact]
    public async Task A_subdomain_record_does_not_change_the_organizational_domain_for_alignment()
    {
        // own.parent.test and parent.test both publish records; the organisational domain is parent.test.
        var outcome = await EvaluateAsync("own.parent.test", Spf("bounce.parent.test"));

        Assert.Equal(DmarcResult.Pass, outcome.Result);
        Assert.True(outcome.SpfAligned);
    }

    [Fact]
    public async Task Psd_n_makes_a_domain_its_own_organizational_domain()
    {
        var dept = await EvaluateAsync("dept.corp.test", Spf("corp.test"));
        var below = await EvaluateAsync("x.dept.corp.test", Spf("y.dept.corp.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "dept.corp.test", "dept.corp.test", DmarcPolicy.None, false, false), dept);
        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "x.dept.corp.test", "dept.corp.test", DmarcPolicy.None, true, false), below);
    }

    [Fact]
    public async Task Psd_y_applies_the_public_suffix_policy_and_bounds_the_organizational_domain()
    {
        var aligned = await EvaluateAsync("mail.org.psd.test", Spf("bounce.org.psd.test"));
        var sibling = await EvaluateAsync("mail.org.psd.test", Spf("other.psd.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "mail.org.psd.test", "psd.test", DmarcPolicy.Quarantine, true, false), aligned);
        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "mail.org.psd.test", "psd.test", DmarcPolicy.Quarantine, false, false), sibling);
    }

    [Fact]
    public async Task A_long_name_skips_to_its_last_seven_labels()
    {
        // _dmarc.c.d.e.f.g.h.deep.test (psd=n, p=none) is never asked; deep.test's p=reject applies.
        var outcome = await EvaluateAsync("a.b.c.d.e.f.g.h.deep.test", Spf("other.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "a.b.c.d.e.f.g.h.deep.test", "deep.test", DmarcPolicy.Reject, false, false), outcome);
    }

    [Fact]
    public async Task Without_a_record_the_result_is_none_but_alignment_is_reported()
    {
        var outcome = await EvaluateAsync("norecord.test", Spf("norecord.test"));
        var unaligned = await EvaluateAsync("norecord.test", Spf("sub.norecord.test"));

        Assert.Equal(new DmarcOutcome(DmarcResult.None, "norecord.test", null, DmarcPolicy.None, true, false), outcome);
        Assert.False(unaligned.SpfAligned);
    }

    [Theory]
    [InlineData("nop.test", DmarcResult.Fail, DmarcPolicy.None)]
    [InlineData("nopnorua.test", DmarcResult.None, DmarcPolicy.None)]
    [InlineData("badsp.test", DmarcResult.None, DmarcPolicy.None)]
    [InlineData("twice.test", DmarcResult.None, DmarcPolicy.None)]
    [InlineData("notdmarc.test", DmarcResult.None, DmarcPolicy.None)]
    [InlineData("pct.test", DmarcResult.Fail, DmarcPolicy.Quarantine)]
    [InlineData("pctfull.test", DmarcResult.Fail, DmarcPolicy.Reject)]
    [InlineData("testing.test", DmarcResult.Fail, DmarcPolicy.None)]
    public async Task Applies_the_rfc_rules_for_invalid_duplicate_and_partial_records(string domain, DmarcResult result, DmarcPolicy policy)
    {
        var outcome = await EvaluateAsync(domain, Spf("other.test"));

        Assert.Equal(result, outcome.Result);
        Assert.Equal(policy, outcome.Policy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a domain")]
    [InlineData("[127.0.0.1]")]
    public async Task An_invalid_from_domain_is_permerror(string domain)
    {
        Assert.Equal(DmarcResult.PermError, (await EvaluateAsync(domain, Spf("other.test"))).Result);
    }

    [Fact]
    public async Task A_dns_failure_is_temperror()
    {
        var offline = new DmarcEvaluator(TestLookup.Unreachable());

        var outcome = await offline.EvaluateAsync("shop.test", Spf("shop.test"), [], CancellationToken.None);

        Assert.Equal(new DmarcOutcome(DmarcResult.TempError, "shop.test", null, DmarcPolicy.None, false, false), outcome);
    }

    [Fact]
    public async Task A_dns_failure_while_checking_an_identifier_is_temperror_unless_another_aligns()
    {
        var flaky = new DmarcEvaluator(FailingLookup.Wrap(dns.Dns, name => name.StartsWith("_dmarc.bounce.", StringComparison.Ordinal)));

        var open = await flaky.EvaluateAsync("shop.test", Spf("bounce.shop.test"), [], CancellationToken.None);
        var settled = await flaky.EvaluateAsync("shop.test", Spf("bounce.shop.test"), [Dkim("shop.test")], CancellationToken.None);

        Assert.Equal(new DmarcOutcome(DmarcResult.TempError, "shop.test", "shop.test", DmarcPolicy.Reject, false, false), open);
        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "shop.test", "shop.test", DmarcPolicy.Reject, false, true), settled);
    }

    private Task<DmarcOutcome> EvaluateAsync(string from, SpfOutcome spf, params DkimOutcome[] dkim) =>
        evaluator.EvaluateAsync(from, spf, dkim, CancellationToken.None);

    private static SpfOutcome Spf(string domain) => new(SpfResult.Pass, domain, null);

    private static DkimOutcome Dkim(string domain) => new(DkimResult.Pass, domain, "sel", null);

    public sealed class Zones : DnsFixture
    {
        protected override DnsZone[] CreateZones() =>
        [
            new DnsZone("test")
                .Txt("_dmarc.shop", "v=DMARC1; p=reject; rua=mailto:dmarc@shop.test")
                .Txt("_dmarc.strict", "v=DMARC1; p=reject; adkim=s; aspf=s")
                .Txt("_dmarc.parent", "v=DMARC1; p=reject; sp=quarantine")
                .Txt("_dmarc.own.parent", "v=DMARC1; p=none")
                .Txt("_dmarc.corp", "v=DMARC1; p=reject")
                .Txt("_dmarc.dept.corp", "v=DMARC1; p=none; psd=n")
                .Txt("_dmarc.psd", "v=DMARC1; p=quarantine; psd=y")
                .Txt("_dmarc.deep", "v=DMARC1; p=reject")
                .Txt("_dmarc.c.d.e.f.g.h.deep", "v=DMARC1; p=none; psd=n")
                .Txt("_dmarc.nop", "v=DMARC1; rua=mailto:dmarc@nop.test")
                .Txt("_dmarc.nopnorua", "v=DMARC1; sp=reject")
                .Txt("_dmarc.badsp", "v=DMARC1; p=reject; sp=never")
                .Txt("_dmarc.twice", "v=DMARC1; p=reject")
                .Txt("_dmarc.twice", "v=DMARC1; p=quarantine")
                .Txt("_dmarc.notdmarc", "v=DMARC2; p=reject")
                .Txt("_dmarc.notdmarc", "some other text")
                .Txt("_dmarc.pct", "v=DMARC1; p=reject; pct=50")
                .Txt("_dmarc.pctfull", "v=DMARC1; p=reject; pct=100")
                .Txt("_dmarc.testing", "v=DMARC1; p=quarantine; t=y"),
        ];
    }
}
