namespace Moat.Audit;

/// <summary>The steps of an audit, in order.</summary>
public enum AuditPhase
{
    /// <summary>Reading the domains' DNS records and resolving host names.</summary>
    Resolving,

    /// <summary>TCP connect scan of the mail ports.</summary>
    Scanning,

    /// <summary>Greeting, EHLO, TLS, VRFY/EXPN and relay probes on every open port.</summary>
    Probing,

    /// <summary>Fingerprints, known vulnerabilities and findings.</summary>
    Assessing,

    Finished,
}
