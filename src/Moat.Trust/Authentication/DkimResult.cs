namespace Moat.Trust.Authentication;

/// <summary>The DKIM results of RFC 8601 §2.7.1 for one signature.</summary>
public enum DkimResult
{
    None,
    Pass,
    Fail,
    Neutral,
    TempError,
    PermError,
}
