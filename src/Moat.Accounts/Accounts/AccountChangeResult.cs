namespace Moat.Accounts.Accounts;

/// <summary>What became of an add, password change or removal; <see cref="Message"/> is for the user or administrator, as it is.</summary>
public sealed record AccountChangeResult(AccountChangeOutcome Outcome, string Message)
{
    public bool Succeeded => Outcome == AccountChangeOutcome.Done;
}
