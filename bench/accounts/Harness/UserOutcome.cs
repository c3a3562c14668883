namespace Moat.Bench.Accounts;

/// <param name="GotIn">Never blocked, and allowed straight away after the successful login.</param>
/// <param name="MaxDelay">The longest delay the user was given.</param>
internal sealed record UserOutcome(bool GotIn, TimeSpan MaxDelay);
