namespace Moat.Trust.Sources;

/// <summary>How a DNS query for the source checks ended.</summary>
internal enum SourceLookupStatus
{
    /// <summary>NOERROR; the answer may still be empty (NODATA).</summary>
    Answered,

    /// <summary>NXDOMAIN: the name does not exist, a definite answer.</summary>
    NameDoesNotExist,

    /// <summary>Timeout, SERVFAIL, REFUSED and the like: nothing can be concluded, try later.</summary>
    Failed,
}
