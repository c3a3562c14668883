namespace Moat.Bench.Trust.Model;

/// <summary>What the trust decision did with a message when it arrived.</summary>
internal enum Fate
{
    /// <summary>On an allow-list and authenticated: delivered.</summary>
    Trusted,

    /// <summary>Not listed, but the familiarity counters vouched for it: delivered.</summary>
    Familiar,

    /// <summary>Unknown, delivered because the policy is Accept.</summary>
    Accepted,

    /// <summary>Unknown: held and a challenge sent.</summary>
    Challenged,

    /// <summary>Unknown: held; the sender already had their challenge today.</summary>
    HeldAlreadyChallenged,

    /// <summary>Unknown and not challengeable (or policy Quarantine): in the recipient's quarantine digest.</summary>
    Quarantined,

    /// <summary>Unknown and failing DMARC of a domain that asks for reject or quarantine: refused in SMTP.</summary>
    Rejected,

    /// <summary>The trust filter failed on every attempt: answered 451, the message stays with the sending server.</summary>
    TemporaryFailure,
}
