namespace Moat.Accounts.Accounts;

/// <summary>What <see cref="AccountService.VerifyAsync"/> decided.</summary>
/// <param name="Delay">
/// How long the attempt was held back before its password was checked (the spraying detector
/// slowed the source or the account), or for <see cref="LoginOutcome.TooManyAttempts"/> how long
/// the source stays blocked (an HTTP Retry-After, say).
/// </param>
/// <param name="PasswordTooPopular">
/// On success: so many other accounts now use this password that it would be refused as a new
/// one; tell the user to change it (<see cref="AccountService.PasswordBecameTooPopularNotice"/>).
/// </param>
/// <param name="Rehashed">On success: the stored hash had older settings and was replaced.</param>
/// <param name="Reason">For <see cref="LoginOutcome.TooManyAttempts"/>: the detector's reason, for logs.</param>
public sealed record LoginResult(
    LoginOutcome Outcome,
    TimeSpan Delay = default,
    bool PasswordTooPopular = false,
    bool Rehashed = false,
    string? Reason = null)
{
    public bool Succeeded => Outcome == LoginOutcome.Success;
}
