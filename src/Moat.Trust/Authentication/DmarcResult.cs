namespace Moat.Trust.Authentication;

/// <summary>The DMARC results of RFC 8601 §2.7.1 / RFC 7489 §11.2.</summary>
public enum DmarcResult
{
    None,
    Pass,
    Fail,
    TempError,
    PermError,
}
