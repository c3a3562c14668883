using Moat.Trust.Lists;

namespace Moat.Trust.Decisions;

/// <summary>Who the sender is to us, and why.</summary>
public sealed record TrustDecision(TrustLevel Level, TrustMatch? Match, string Evidence)
{
    /// <summary>Listed, but not authenticated: somebody may be forging a trusted address.</summary>
    public bool ListedButUnauthenticated => Level == TrustLevel.Unknown && Match is not null;
}
