namespace Moat.Audit.Discovery;

/// <summary>How one DNS question ended: the audit must tell "no such record" from "could not ask".</summary>
internal enum DnsQueryStatus
{
    /// <summary>NOERROR; the answers may be empty (NODATA).</summary>
    Answered,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NameDoesNotExist,

    /// <summary>SERVFAIL, REFUSED, a timeout, an unreachable server: the answer is unknown.</summary>
    Failed,
}
