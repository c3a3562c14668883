namespace Moat.Accounts.Spraying;

/// <param name="Gate">Allow, slow down or block the attempt.</param>
/// <param name="Delay">For Slow the wait before verifying; for Block the time until the block ends.</param>
/// <param name="Reason">For logs and operators; names no password.</param>
public sealed record LoginDecision(LoginGate Gate, TimeSpan Delay, string Reason)
{
    public static LoginDecision Allowed { get; } = new(LoginGate.Allow, TimeSpan.Zero, "");
}
