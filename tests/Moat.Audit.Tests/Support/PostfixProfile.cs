namespace Moat.Audit.Tests.Support;

/// <summary>The two ways <see cref="PostfixServer"/> can be set up.</summary>
public enum PostfixProfile
{
    /// <summary>
    /// What an audit should catch: the version in the banner, VRFY on (unknown users answered
    /// differently from real ones), loopback in mynetworks so loopback clients may relay, no TLS.
    /// </summary>
    Leaky,

    /// <summary>
    /// Default banner (names Postfix, no version), VRFY off, relaying only for 192.0.2.0/24 (never
    /// the loopback prober), STARTTLS with a self-signed certificate for <see cref="PostfixServer.HostName"/>.
    /// </summary>
    Hardened,
}
