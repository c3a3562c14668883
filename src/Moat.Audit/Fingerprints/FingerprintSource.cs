namespace Moat.Audit.Fingerprints;

/// <summary>Which part of a <see cref="Probing.ListenerObservation"/> a <see cref="FingerprintRule"/> looks at.</summary>
public enum FingerprintSource
{
    /// <summary>Each line of the greeting.</summary>
    Greeting,

    /// <summary>Each line of the EHLO replies, before and after TLS.</summary>
    EhloLine,

    /// <summary>The EHLO keywords in the order offered, joined by single spaces ("PIPELINING SIZE VRFY ETRN …"), before and after TLS.</summary>
    EhloKeywords,

    /// <summary>Each line of the reply to HELP.</summary>
    Help,

    /// <summary>Each line of the reply to a verb no server knows.</summary>
    UnknownCommand,

    /// <summary>Each line of the reply to a malformed MAIL FROM.</summary>
    BadMailFrom,

    /// <summary>Each line of the replies to VRFY.</summary>
    Vrfy,

    /// <summary>Each line of the replies to EXPN.</summary>
    Expn,

    Noop,

    Rset,

    Quit,

    /// <summary>Each line of the replies to the relay probes' MAIL FROM and RCPT TO.</summary>
    RelayReply,
}
