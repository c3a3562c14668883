namespace Moat.Trust;

/// <summary>What happens to mail from a sender nobody trusts yet.</summary>
public enum UnknownSenderPolicy
{
    /// <summary>Hold the message and ask the sender to confirm once; the answer releases it and trusts the sender.</summary>
    Challenge,

    /// <summary>Keep the message in quarantine; the recipient sees it in the digest and releases it.</summary>
    Quarantine,

    /// <summary>Deliver the message with a header that says the sender is unknown.</summary>
    Accept,
}
