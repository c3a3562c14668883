namespace Moat.Trust.Challenges;

public enum ChallengeOutcome
{
    /// <summary>A challenge was queued.</summary>
    Sent,

    /// <summary>The sender was challenged often enough today; the message is held all the same.</summary>
    RateLimited,
}
