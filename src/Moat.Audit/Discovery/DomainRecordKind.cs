namespace Moat.Audit.Discovery;

/// <summary>Which of a domain's mail records a DNS question was about.</summary>
public enum DomainRecordKind
{
    Mx,

    /// <summary>The A/AAAA records of one MX host.</summary>
    MxHostAddress,

    /// <summary>The A/AAAA records of the domain itself.</summary>
    Address,

    Spf,
    Dmarc,
    MtaSts,
    TlsRpt,
}
