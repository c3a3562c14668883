namespace Moat.Trust.Decisions;

public enum TrustLevel
{
    /// <summary>On an allow-list, and the message is authenticated and aligned with that address.</summary>
    Trusted,

    /// <summary>Not listed, but enough good authenticated mail came from this sender, domain or host.</summary>
    Familiar,

    /// <summary>Nobody vouches for the sender (a listed address without authentication lands here too).</summary>
    Unknown,
}
