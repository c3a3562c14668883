namespace Moat.Pipeline;

public enum VerdictKind
{
    /// <summary>No objection: ask the next filter.</summary>
    Continue,

    /// <summary>Accept now and skip the remaining filters of this stage.</summary>
    Accept,

    /// <summary>Refuse with a 4xx reply: the client should try again later.</summary>
    TempFail,

    /// <summary>Refuse with a 5xx reply: the client must not try again.</summary>
    Reject,

    /// <summary>Accept the message but keep it in quarantine instead of delivering it.</summary>
    Quarantine,

    /// <summary>Accept the message but hold it until something releases it (for example a challenge).</summary>
    Hold,

    /// <summary>Answer 250 and keep nothing: the message was for Moat itself (for example a reply to a challenge).</summary>
    Discard,
}
