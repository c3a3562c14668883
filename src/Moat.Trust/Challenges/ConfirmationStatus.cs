namespace Moat.Trust.Challenges;

public enum ConfirmationStatus
{
    Confirmed,
    AlreadyConfirmed,

    /// <summary>Malformed, forged, expired or unknown.</summary>
    Invalid,
}
