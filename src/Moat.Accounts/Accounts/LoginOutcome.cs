namespace Moat.Accounts.Accounts;

/// <summary>
/// The result of a login attempt. A protocol must answer <see cref="BadCredentials"/> and
/// <see cref="Locked"/> alike, or it tells an attacker which accounts exist.
/// </summary>
public enum LoginOutcome
{
    Success,

    /// <summary>Unknown account or wrong password (the two are deliberately not told apart).</summary>
    BadCredentials,

    /// <summary>The account exists but is locked; the password was not checked against it.</summary>
    Locked,

    /// <summary>The source is blocked for password spraying; nothing was checked.</summary>
    TooManyAttempts,
}
