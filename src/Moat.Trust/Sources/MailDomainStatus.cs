namespace Moat.Trust.Sources;

/// <summary>What DNS says about a domain as a mail destination.</summary>
internal enum MailDomainStatus
{
    /// <summary>MX hosts, or no MX but an address (RFC 5321 §5.1 implicit MX).</summary>
    AcceptsMail,

    /// <summary>RFC 7505 "MX 0 .": the domain declares that it accepts no mail.</summary>
    NullMx,

    /// <summary>The domain exists but has neither MX nor A/AAAA.</summary>
    NoMailHost,

    /// <summary>NXDOMAIN.</summary>
    DoesNotExist,

    /// <summary>DNS did not answer usefully; nothing can be concluded.</summary>
    Failed,
}
