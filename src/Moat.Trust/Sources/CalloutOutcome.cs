namespace Moat.Trust.Sources;

/// <summary>What a sender callout learned about the envelope sender's address.</summary>
public enum CalloutOutcome
{
    /// <summary>The sender's MX answered 2xx to RCPT TO: the address takes mail.</summary>
    Accepted,

    /// <summary>
    /// The address does not take mail: a 5xx to RCPT TO about the mailbox (RFC 3463 5.1.x/5.2.x,
    /// or 550/551/553 without an enhanced code), or the domain does not exist, publishes a null MX,
    /// or has no mail host at all.
    /// </summary>
    Rejected,

    /// <summary>
    /// No usable answer about the address: 4xx, timeout, refused connection, DNS failure, a
    /// session that broke before RCPT, or a 5xx that refuses the probe rather than the mailbox
    /// (5.7.x policy and the like). Never to be treated as a rejection.
    /// </summary>
    TempFail,

    /// <summary>Not probed: the null sender, an address that cannot be probed, or the per-domain cap was reached.</summary>
    Skipped,
}
