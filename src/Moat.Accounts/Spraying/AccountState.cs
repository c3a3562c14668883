namespace Moat.Accounts.Spraying;

/// <summary>
/// What the detector remembers of one account: recent failures, counted apart for networks the
/// account has logged in from (its own) and for all others, so that strangers elsewhere cannot
/// slow its owner at home, while guessing from anywhere is still slowed.
/// </summary>
internal sealed class AccountState(DateTimeOffset now)
{
    private const int RecentPasswordCount = 4;

    private readonly RecentFingerprints recentPasswords = new(RecentPasswordCount);
    private DateTimeOffset updated = now;

    /// <summary>Decayed number of failed logins from the account's own networks.</summary>
    public double KnownFailures { get; private set; }

    /// <summary>Decayed number of failed logins from anywhere else.</summary>
    public double OtherFailures { get; private set; }

    public double Failures(bool known) => known ? KnownFailures : OtherFailures;

    public void DecayTo(DateTimeOffset now, TimeSpan halfLife)
    {
        var factor = Decay.Factor(now - updated, halfLife);
        KnownFailures *= factor;
        OtherFailures *= factor;
        if (now > updated)
        {
            updated = now;
        }
    }

    /// <summary>Counts a failure; true when this password was not among the account's recent failures.</summary>
    public bool AddFailure(bool known, ulong password)
    {
        if (known)
        {
            KnownFailures += 1;
        }
        else
        {
            OtherFailures += 1;
        }

        return recentPasswords.Note(password);
    }

    /// <summary>A success clears the failures of its side; the mistakes it ends were most likely the owner's.</summary>
    public void ClearFailures(bool known)
    {
        if (known)
        {
            KnownFailures = 0;
        }
        else
        {
            OtherFailures = 0;
        }

        recentPasswords.Clear();
    }
}
