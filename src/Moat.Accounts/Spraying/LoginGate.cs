namespace Moat.Accounts.Spraying;

/// <summary>What to do with a login attempt before its password is verified.</summary>
public enum LoginGate
{
    /// <summary>Verify the password now.</summary>
    Allow,

    /// <summary>Wait <see cref="LoginDecision.Delay"/>, then verify the password.</summary>
    Slow,

    /// <summary>Refuse without verifying: SMTP <c>454 4.7.0</c>, HTTP 429 with Retry-After = <see cref="LoginDecision.Delay"/>.</summary>
    Block,
}
