using Moat.Audit.Discovery;

namespace Moat.Audit.Findings;

/// <summary>
/// Findings from a domain's mail records. A record is called missing only when the lookup
/// succeeded; a failed lookup is reported as such, since "absent" and "could not look" need
/// different fixes.
/// </summary>
public static class DomainFindingRules
{
    public static IReadOnlyList<Finding> Evaluate(DomainReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var domain = report.Domain;
        var findings = new List<Finding>();
        foreach (var failure in report.Failures)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.DnsError,
                $"DNS {failure.Type} lookup of {failure.Name} failed: the {Describe(failure.Kind)} could not be checked",
                domain,
                [failure.Message],
                "Check that the domain's name servers answer (and the --dns-server given, if any); run the audit again."));
        }

        if (report.DoesNotExist)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.NoMx,
                $"{domain} does not exist in DNS (NXDOMAIN)",
                domain,
                [$"{domain}: NXDOMAIN"],
                "Check the spelling of --domain; nothing else about this domain was checked."));
            return findings;
        }

        if (report.UsesImplicitMx)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.NoMx,
                "No MX record: senders deliver to the domain's own address (implicit MX)",
                domain,
                [$"{domain} MX: (none)", .. report.Addresses.Select(a => $"{domain} A/AAAA {a}")],
                "Publish MX records for the hosts that should receive mail, or a null MX (MX 0 .) if the domain receives none."));
        }

        Spf(report, findings);
        Dmarc(report, findings);
        if (!report.Failed(DomainRecordKind.MtaSts) && report.MtaSts is null && !report.HasNullMx)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.NoMtaSts,
                report.MtaStsRecords.Count > 1 ? $"{report.MtaStsRecords.Count} MTA-STS records: senders ignore them all" : "No MTA-STS policy: senders cannot insist on TLS to the MX hosts",
                domain,
                report.MtaStsRecords.Count > 1 ? report.MtaStsRecords.Select(r => $"_mta-sts.{domain} TXT \"{r}\"").ToArray() : [$"_mta-sts.{domain} TXT: no v=STSv1 record"],
                $"Publish an MTA-STS policy (RFC 8461): a TXT record at _mta-sts.{domain} and the policy file at https://mta-sts.{domain}/.well-known/mta-sts.txt; start with mode: testing. The MX hosts then need certificates from a public CA."));
        }

        if (!report.Failed(DomainRecordKind.TlsRpt) && report.TlsRpt is null && !report.HasNullMx)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.NoTlsRpt,
                report.TlsRptRecords.Count > 1 ? $"{report.TlsRptRecords.Count} TLS-RPT records: senders send no reports" : "No TLS-RPT record: nobody tells you when TLS to your MX hosts fails",
                domain,
                report.TlsRptRecords.Count > 1 ? report.TlsRptRecords.Select(r => $"_smtp._tls.{domain} TXT \"{r}\"").ToArray() : [$"_smtp._tls.{domain} TXT: no v=TLSRPTv1 record"],
                $"Publish _smtp._tls.{domain} TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\" (RFC 8460)."));
        }

        return findings;
    }

    private static void Spf(DomainReport report, List<Finding> findings)
    {
        var domain = report.Domain;
        if (report.Failed(DomainRecordKind.Spf))
        {
            return;
        }

        if (report.SpfRecords.Count == 0)
        {
            findings.Add(new Finding(
                Severity.Low,
                FindingIds.NoSpf,
                "No SPF record: anyone can send mail as this domain without an SPF failure",
                domain,
                [$"{domain} TXT: no v=spf1 record"],
                report.HasNullMx
                    ? $"Publish {domain} TXT \"v=spf1 -all\": a domain that sends no mail says so."
                    : $"Publish an SPF record naming the hosts that send the domain's mail, e.g. {domain} TXT \"v=spf1 mx -all\"."));
            return;
        }

        var evidence = report.SpfRecords.Select(r => $"{domain} TXT \"{r}\"").ToArray();
        if (report.SpfRecords.Count > 1)
        {
            findings.Add(new Finding(
                Severity.Low,
                FindingIds.WeakSpf,
                $"{report.SpfRecords.Count} SPF records: receivers treat that as a permanent error (RFC 7208 §4.5), as if there were none",
                domain,
                evidence,
                "Merge them into one v=spf1 record."));
            return;
        }

        var all = report.SpfRecords[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(t => t.EndsWith("all", StringComparison.OrdinalIgnoreCase));
        if (all is "+all" or "all")
        {
            findings.Add(new Finding(
                Severity.Medium,
                FindingIds.WeakSpf,
                "SPF ends in +all: it authorises every host on the Internet to send as this domain",
                domain,
                evidence,
                "End the record with -all (or ~all while checking) after listing the hosts that really send."));
        }
    }

    private static void Dmarc(DomainReport report, List<Finding> findings)
    {
        var domain = report.Domain;
        if (report.Failed(DomainRecordKind.Dmarc))
        {
            return;
        }

        if (report.Dmarc is null)
        {
            var several = report.DmarcRecords.Count > 1;
            findings.Add(new Finding(
                Severity.Low,
                FindingIds.NoDmarc,
                several ? $"{report.DmarcRecords.Count} DMARC records: receivers apply none of them (RFC 7489 §6.6.3)" : "No DMARC record: receivers get no policy for mail that fails SPF and DKIM",
                domain,
                several ? report.DmarcRecords.Select(r => $"_dmarc.{domain} TXT \"{r}\"").ToArray() : [$"_dmarc.{domain} TXT: no v=DMARC1 record"],
                several
                    ? "Keep exactly one v=DMARC1 record."
                    : $"Publish _dmarc.{domain} TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{domain}\", read the reports, then move to p=quarantine and p=reject."));
            return;
        }

        var evidence = new[] { $"_dmarc.{domain} TXT \"{report.Dmarc}\"" };
        if (report.DmarcPolicy is null or "none")
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.DmarcNone,
                report.DmarcPolicy is null ? "DMARC record without a valid p= tag: treated as p=none" : "DMARC policy p=none: reports only, forged mail is still delivered",
                domain,
                evidence,
                "Once the aggregate reports show all legitimate mail passing, move to p=quarantine, then p=reject."));
        }
    }

    private static string Describe(DomainRecordKind kind) => kind switch
    {
        DomainRecordKind.Mx => "MX records",
        DomainRecordKind.MxHostAddress => "MX host's address",
        DomainRecordKind.Address => "domain's address",
        DomainRecordKind.Spf => "SPF record",
        DomainRecordKind.Dmarc => "DMARC record",
        DomainRecordKind.MtaSts => "MTA-STS record",
        _ => "TLS-RPT record",
    };
}
