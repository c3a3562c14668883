using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>
/// A mail domain's DNS as the audit read it: the raw records (for evidence), what they say, and
/// which questions could not be answered. Absent and unknown are different: a record is absent
/// only when the lookup succeeded and found none; <see cref="Failures"/> lists the unknowns.
/// </summary>
public sealed record DomainReport
{
    public required string Domain { get; init; }

    /// <summary>The MX records in preference order, each with its host's addresses. Empty for a null MX.</summary>
    public IReadOnlyList<MailExchanger> MailExchangers { get; init; } = [];

    /// <summary>RFC 7505 "MX 0 .": the domain says it accepts no mail.</summary>
    public bool HasNullMx { get; init; }

    /// <summary>The domain does not exist at all (NXDOMAIN).</summary>
    public bool DoesNotExist { get; init; }

    /// <summary>The A/AAAA records of the domain itself.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>
    /// No MX but addresses: senders deliver to the domain's own addresses (RFC 5321 §5.1), so those
    /// count as the domain's mail servers.
    /// </summary>
    public bool UsesImplicitMx =>
        MailExchangers.Count == 0 && !HasNullMx && Addresses.Count > 0 && !Failed(DomainRecordKind.Mx);

    /// <summary>Every TXT record at the apex that starts with "v=spf1"; more than one is a permanent error (RFC 7208 §4.5).</summary>
    public IReadOnlyList<string> SpfRecords { get; init; } = [];

    /// <summary>The SPF record when there is exactly one.</summary>
    public string? Spf => SpfRecords.Count == 1 ? SpfRecords[0] : null;

    /// <summary>Every "v=DMARC1" TXT record at _dmarc.&lt;domain&gt;.</summary>
    public IReadOnlyList<string> DmarcRecords { get; init; } = [];

    /// <summary>The DMARC record when there is exactly one (several mean none applies, RFC 7489 §6.6.3).</summary>
    public string? Dmarc => DmarcRecords.Count == 1 ? DmarcRecords[0] : null;

    /// <summary>The p= value of <see cref="Dmarc"/>, lower case ("none", "quarantine", "reject"), or null.</summary>
    public string? DmarcPolicy { get; init; }

    /// <summary>The sp= value of <see cref="Dmarc"/>, lower case, or null when absent.</summary>
    public string? DmarcSubdomainPolicy { get; init; }

    /// <summary>Every "v=STSv1" TXT record at _mta-sts.&lt;domain&gt;.</summary>
    public IReadOnlyList<string> MtaStsRecords { get; init; } = [];

    /// <summary>The MTA-STS record when there is exactly one (RFC 8461 §3.1).</summary>
    public string? MtaSts => MtaStsRecords.Count == 1 ? MtaStsRecords[0] : null;

    /// <summary>The id= of <see cref="MtaSts"/>.</summary>
    public string? MtaStsId { get; init; }

    /// <summary>Every "v=TLSRPTv1" TXT record at _smtp._tls.&lt;domain&gt;.</summary>
    public IReadOnlyList<string> TlsRptRecords { get; init; } = [];

    /// <summary>The TLS-RPT record when there is exactly one (RFC 8460 §3).</summary>
    public string? TlsRpt => TlsRptRecords.Count == 1 ? TlsRptRecords[0] : null;

    /// <summary>The rua= destinations of <see cref="TlsRpt"/>.</summary>
    public IReadOnlyList<string> TlsRptDestinations { get; init; } = [];

    /// <summary>The records as DNS presents them ("example.org. 300 IN MX 10 mx.example.org."), for evidence.</summary>
    public IReadOnlyList<string> Records { get; init; } = [];

    /// <summary>The MX records alone, in the same presentation form.</summary>
    public IReadOnlyList<string> MxRecords { get; init; } = [];

    /// <summary>Oddities worth telling the operator: several SPF records, a DMARC record without p=, …</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IReadOnlyList<DnsFailure> Failures { get; init; } = [];

    /// <summary>Whether a question about this kind of record failed, so its absence cannot be claimed.</summary>
    public bool Failed(DomainRecordKind kind) => Failures.Any(f => f.Kind == kind);

    /// <summary>The addresses senders deliver this domain's mail to: the MX hosts', or the domain's own for an implicit MX.</summary>
    public IEnumerable<(IPAddress Address, string HostName)> MailServerAddresses() =>
        UsesImplicitMx
            ? Addresses.Select(a => (a, Domain))
            : MailExchangers.SelectMany(mx => mx.Addresses.Select(a => (a, mx.HostName)));
}
