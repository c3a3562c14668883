namespace Moat.Queue.Spool;

/// <summary>The queue states, one folder each (Postfix's layout).</summary>
public enum QueueState
{
    /// <summary>Published and waiting for its first delivery attempt.</summary>
    Incoming,

    /// <summary>Owned by the queue manager: being delivered now.</summary>
    Active,

    /// <summary>Waiting for its next attempt (Envelope.NextAttemptAt).</summary>
    Deferred,

    /// <summary>Not delivered until an administrator releases it.</summary>
    Hold,

    /// <summary>Failed its checksum or could not be parsed; kept for inspection.</summary>
    Corrupt,
}
