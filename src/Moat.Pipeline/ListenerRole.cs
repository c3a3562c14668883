namespace Moat.Pipeline;

/// <summary>What a listener is for; relay control judges a client differently on each.</summary>
public enum ListenerRole
{
    /// <summary>Mail from other MTAs on the Internet (port 25): only our own domains are accepted.</summary>
    Inbound,

    /// <summary>Mail from our own users and servers (ports 587 and 465): relaying needs a trusted client.</summary>
    Submission,
}
