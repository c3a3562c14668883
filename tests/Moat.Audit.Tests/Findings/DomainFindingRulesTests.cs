using Moat.Audit.Discovery;
using Moat.Audit.Findings;

namespace Moat.Audit.Tests.Findings;

public sealed class DomainFindingRulesTests
{
    [Fact]
    public void A_well_configured_domain_gives_only_info()
    {
        var report = Complete();

        Assert.Empty(DomainFindingRules.Evaluate(report));
    }

    [Fact]
    public void Missing_spf_and_dmarc_are_low_with_the_name_asked_as_evidence()
    {
        var report = Complete() with { SpfRecords = [], DmarcRecords = [], DmarcPolicy = null };

        var findings = DomainFindingRules.Evaluate(report);

        var spf = Assert.Single(findings, f => f.Id == FindingIds.NoSpf);
        Assert.Equal(Severity.Low, spf.Severity);
        Assert.Equal("example.org", spf.Target);
        Assert.Equal(["example.org TXT: no v=spf1 record"], spf.Evidence);
        var dmarc = Assert.Single(findings, f => f.Id == FindingIds.NoDmarc);
        Assert.Equal(Severity.Low, dmarc.Severity);
        Assert.Equal(["_dmarc.example.org TXT: no v=DMARC1 record"], dmarc.Evidence);
    }

    [Fact]
    public void Dmarc_p_none_is_info_with_the_record()
    {
        var report = Complete() with { DmarcRecords = ["v=DMARC1; p=none"], DmarcPolicy = "none" };

        var finding = Assert.Single(DomainFindingRules.Evaluate(report));

        Assert.Equal(FindingIds.DmarcNone, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(["_dmarc.example.org TXT \"v=DMARC1; p=none\""], finding.Evidence);
    }

    [Fact]
    public void Missing_mta_sts_and_tls_rpt_are_info()
    {
        var report = Complete() with { MtaStsRecords = [], TlsRptRecords = [] };

        var findings = DomainFindingRules.Evaluate(report);

        Assert.Equal([FindingIds.NoMtaSts, FindingIds.NoTlsRpt], findings.Select(f => f.Id));
        Assert.All(findings, f => Assert.Equal(Severity.Info, f.Severity));
    }

    [Fact]
    public void Spf_plus_all_is_medium()
    {
        var report = Complete() with { SpfRecords = ["v=spf1 mx +all"] };

        var finding = Assert.Single(DomainFindingRules.Evaluate(report));

        Assert.Equal(FindingIds.WeakSpf, finding.Id);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void A_failed_lookup_is_not_reported_as_a_missing_record()
    {
        var report = Complete() with
        {
            DmarcRecords = [],
            DmarcPolicy = null,
            Failures = [new DnsFailure(DomainRecordKind.Dmarc, "_dmarc.example.org", "TXT", "DNS TXT lookup of _dmarc.example.org failed: ServerFailure")],
        };

        var finding = Assert.Single(DomainFindingRules.Evaluate(report));

        Assert.Equal(FindingIds.DnsError, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("ServerFailure", Assert.Single(finding.Evidence), StringComparison.Ordinal);
    }

    private static DomainReport Complete() => new()
    {
        Domain = "example.org",
        MailExchangers = [new MailExchanger(10, "mx.example.org", [System.Net.IPAddress.Parse("192.0.2.5")])],
        SpfRecords = ["v=spf1 mx -all"],
        DmarcRecords = ["v=DMARC1; p=reject"],
        DmarcPolicy = "reject",
        MtaStsRecords = ["v=STSv1; id=1"],
        TlsRptRecords = ["v=TLSRPTv1; rua=mailto:tls@example.org"],
    };
}
