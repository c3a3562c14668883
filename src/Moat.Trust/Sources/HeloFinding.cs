namespace Moat.Trust.Sources;

/// <summary>What the HELO/EHLO argument says about the client. Only the first two are sane.</summary>
public enum HeloFinding
{
    /// <summary>A syntactically valid fully-qualified host name that is not ours.</summary>
    Valid,

    /// <summary>An address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]") equal to the client's address.</summary>
    AddressLiteral,

    /// <summary>No HELO/EHLO was given, or an empty one.</summary>
    Missing,

    /// <summary>A single label ("mailserver"): not fully qualified.</summary>
    NotFullyQualified,

    /// <summary>Not a host name at all: bad characters, empty or over-long labels, numeric top-level label.</summary>
    InvalidSyntax,

    /// <summary>"localhost" or a name under .localhost (RFC 6761): never true from a remote host.</summary>
    Localhost,

    /// <summary>An IP address without the brackets RFC 5321 §4.1.3 requires.</summary>
    BareAddress,

    /// <summary>An address literal that is not the client's address.</summary>
    LiteralMismatch,

    /// <summary>One of our own host names, or a name in one of our domains: a forgery from outside.</summary>
    ClaimsToBeUs,
}
