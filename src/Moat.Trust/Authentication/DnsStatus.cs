namespace Moat.Trust.Authentication;

/// <summary>
/// How a DNS question ended. SPF and DMARC treat "no such name" and "no data" alike (RFC 7208 calls
/// both a void lookup) but a failure (timeout, SERVFAIL, REFUSED) very differently: temperror.
/// </summary>
internal enum DnsStatus
{
    Found,
    NoData,
    NxDomain,
    Failed,
}
