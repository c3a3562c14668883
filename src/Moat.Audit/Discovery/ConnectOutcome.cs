namespace Moat.Audit.Discovery;

/// <summary>What one TCP connection attempt met.</summary>
public enum ConnectOutcome
{
    /// <summary>The handshake completed: something listens.</summary>
    Open,

    /// <summary>RST: nothing listens, and nothing filters.</summary>
    Refused,

    /// <summary>No answer within the connect timeout: filtered, or the host is down.</summary>
    TimedOut,

    /// <summary>No route, host unreachable, or refused locally.</summary>
    Unreachable,
}
