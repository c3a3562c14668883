namespace Moat.Pipeline;

/// <summary>Which way a transaction's mail flows, as decided by relay control.</summary>
public enum MailDirection
{
    /// <summary>From the outside to one of our accepted domains.</summary>
    Inbound,

    /// <summary>From a trusted client to anywhere.</summary>
    Outbound,
}
