namespace Moat.Trust.Authentication;

/// <summary>The records of one DNS answer, with how the question ended.</summary>
internal sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records)
{
    /// <summary>RFC 7208 §4.6.4: an answer with no records, or NXDOMAIN.</summary>
    public bool IsVoid => Status is DnsStatus.NoData or DnsStatus.NxDomain;

    public bool Failed => Status == DnsStatus.Failed;
}
