using System.Net;
using Moat.Audit.Discovery;

namespace Moat.Audit.Tests.Discovery;

public sealed class DomainRecordsTests(DiscoveryDns dns) : IClassFixture<DiscoveryDns>
{
    private Task<DomainReport> Lookup(string domain) => new DomainRecords(dns.Client()).LookupAsync(domain, CancellationToken.None);

    [Fact]
    public async Task A_complete_domain_gives_its_mx_hosts_and_every_policy_record()
    {
        var report = await Lookup("audit.test");

        Assert.Equal("audit.test", report.Domain);
        Assert.Collection(
            report.MailExchangers,
            mx =>
            {
                Assert.Equal((10, "mx1.audit.test"), (mx.Preference, mx.HostName));
                Assert.Equal([IPAddress.Parse("127.0.0.1")], mx.Addresses);
            },
            mx =>
            {
                Assert.Equal((20, "mx2.audit.test"), (mx.Preference, mx.HostName));
                Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback], mx.Addresses);
            });
        Assert.False(report.HasNullMx);
        Assert.False(report.UsesImplicitMx);
        Assert.Equal([IPAddress.Parse("127.0.0.10")], report.Addresses);
        Assert.Equal("v=spf1 mx -all", report.Spf);
        Assert.Equal("v=DMARC1; p=Reject; sp=quarantine; rua=mailto:dmarc@audit.test", report.Dmarc);
        Assert.Equal("reject", report.DmarcPolicy);
        Assert.Equal("quarantine", report.DmarcSubdomainPolicy);
        Assert.Equal("v=STSv1; id=20261128T000000", report.MtaSts);
        Assert.Equal("20261128T000000", report.MtaStsId);
        Assert.Equal("v=TLSRPTv1; rua=mailto:tls@audit.test,https://reports.audit.test/tlsrpt", report.TlsRpt);
        Assert.Equal(["mailto:tls@audit.test", "https://reports.audit.test/tlsrpt"], report.TlsRptDestinations);
        Assert.Empty(report.Failures);
        Assert.Empty(report.Notes);
        Assert.Equal(
            [(IPAddress.Parse("127.0.0.1"), "mx1.audit.test"), (IPAddress.Parse("127.0.0.2"), "mx2.audit.test"), (IPAddress.IPv6Loopback, "mx2.audit.test")],
            report.MailServerAddresses());
    }

    [Fact]
    public async Task The_raw_records_are_kept_as_evidence()
    {
        var report = await Lookup("audit.test");

        Assert.Equal(2, report.MxRecords.Count);
        Assert.Contains("MX", report.MxRecords[0]);
        Assert.Contains("mx1.audit.test.", report.MxRecords[0]);
        Assert.Contains(report.Records, r => r.Contains("v=spf1 mx -all", StringComparison.Ordinal));
        Assert.Contains(report.Records, r => r.StartsWith("_dmarc.audit.test.", StringComparison.Ordinal) && r.Contains("p=Reject", StringComparison.Ordinal));
        Assert.Contains(report.Records, r => r.StartsWith("mx2.audit.test.", StringComparison.Ordinal) && r.Contains("::1", StringComparison.Ordinal));

        // Other TXT records at the apex are not SPF and are not evidence of anything.
        Assert.DoesNotContain(report.Records, r => r.Contains("google-site-verification", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_domain_with_only_an_address_uses_it_as_implicit_mx_and_has_no_policy_records()
    {
        var report = await Lookup("bare.test");

        Assert.Empty(report.MailExchangers);
        Assert.True(report.UsesImplicitMx);
        Assert.Equal([(IPAddress.Parse("127.0.0.20"), "bare.test")], report.MailServerAddresses());
        Assert.Empty(report.SpfRecords);
        Assert.Null(report.Spf);
        Assert.Null(report.Dmarc);
        Assert.Null(report.DmarcPolicy);
        Assert.Null(report.MtaSts);
        Assert.Null(report.TlsRpt);
        Assert.Empty(report.Failures);
        Assert.False(report.DoesNotExist);
    }

    [Fact]
    public async Task Several_spf_mta_sts_or_tls_rpt_records_and_a_dmarc_record_without_p_are_noted()
    {
        var report = await Lookup("odd.test");

        Assert.Equal(2, report.SpfRecords.Count);
        Assert.Null(report.Spf);
        Assert.NotNull(report.Dmarc);
        Assert.Null(report.DmarcPolicy);
        Assert.Equal(2, report.MtaStsRecords.Count);
        Assert.Null(report.MtaSts);
        Assert.Null(report.MtaStsId);
        Assert.Equal(2, report.TlsRptRecords.Count);
        Assert.Null(report.TlsRpt);
        Assert.Empty(report.TlsRptDestinations);
        Assert.Contains(report.Notes, n => n.StartsWith("odd.test has 2 SPF records", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith("the DMARC record of odd.test has no p= tag", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith("_mta-sts.odd.test has 2 MTA-STS records", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith("_smtp._tls.odd.test has 2 TLS-RPT records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_mx_host_that_does_not_resolve_has_no_addresses_but_is_not_a_failure()
    {
        var report = await Lookup("odd.test");

        var mx = Assert.Single(report.MailExchangers);
        Assert.Equal("mx.odd.test", mx.HostName);
        Assert.Empty(mx.Addresses);
        Assert.Empty(report.Failures);
        Assert.Empty(report.MailServerAddresses());
    }

    [Fact]
    public async Task A_null_mx_says_the_domain_takes_no_mail()
    {
        var report = await Lookup("nullmx.test");

        Assert.True(report.HasNullMx);
        Assert.Empty(report.MailExchangers);
        Assert.False(report.UsesImplicitMx);
        Assert.Empty(report.MailServerAddresses());
        Assert.Equal("v=spf1 -all", report.Spf);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_reported_as_such_not_as_a_failure()
    {
        var report = await Lookup("nothere.audit.test");

        Assert.True(report.DoesNotExist);
        Assert.Empty(report.Failures);
        Assert.Contains("nothere.audit.test does not exist in DNS (NXDOMAIN)", report.Notes);
    }

    [Fact]
    public async Task Refused_lookups_are_recorded_as_failures_not_as_absent_records()
    {
        var report = await Lookup("unserved.example");

        Assert.True(report.Failed(DomainRecordKind.Mx));
        Assert.True(report.Failed(DomainRecordKind.Address));
        Assert.True(report.Failed(DomainRecordKind.Spf));
        Assert.True(report.Failed(DomainRecordKind.Dmarc));
        Assert.True(report.Failed(DomainRecordKind.MtaSts));
        Assert.True(report.Failed(DomainRecordKind.TlsRpt));
        Assert.False(report.UsesImplicitMx);
        Assert.False(report.DoesNotExist);
        var dmarc = Assert.Single(report.Failures, f => f.Kind == DomainRecordKind.Dmarc);
        Assert.Equal(("_dmarc.unserved.example", "TXT"), (dmarc.Name, dmarc.Type));
        Assert.Equal("DNS TXT lookup of _dmarc.unserved.example failed: Refused", dmarc.Message);
    }

    [Fact]
    public async Task A_dns_server_that_never_answers_gives_failures_not_exceptions()
    {
        var report = await new DomainRecords(DiscoveryDns.Unreachable()).LookupAsync("audit.test", CancellationToken.None);

        Assert.Equal(7, report.Failures.Count);
        Assert.All(report.Failures, f => Assert.StartsWith($"DNS {f.Type} lookup of {f.Name} failed:", f.Message));
        Assert.Empty(report.MailExchangers);
        Assert.Null(report.Spf);
    }
}
