namespace Moat.Accounts.Spraying;

/// <summary>What the detector remembers of one source network.</summary>
internal sealed class SourceState(DateTimeOffset now)
{
    private const int RecentAccountCount = 8;

    private readonly RecentFingerprints recentAccounts = new(RecentAccountCount);
    private DateTimeOffset updated = now;

    /// <summary>Decayed sum of failure weights (popularity among failures × account breadth).</summary>
    public double Score { get; private set; }

    /// <summary>
    /// Failures on an account not among the source's recent ones: about how many accounts the
    /// source failed on since the detector started remembering it. Not decayed, so that "fewer
    /// than N accounts" stays exact for a single user.
    /// </summary>
    public int Accounts { get; private set; }

    public long Failures { get; private set; }

    public void DecayTo(DateTimeOffset now, TimeSpan halfLife)
    {
        var factor = Decay.Factor(now - updated, halfLife);
        Score *= factor;
        if (now > updated)
        {
            updated = now;
        }
    }

    /// <summary>Adds one failure; true when it was on an account new to this source.</summary>
    public bool AddFailure(ulong account, double popularity, double repeatWeight)
    {
        var isNew = recentAccounts.Note(account);
        if (isNew && Accounts < int.MaxValue)
        {
            Accounts++;
        }

        Score += popularity * (isNew ? 1 : repeatWeight);
        Failures++;
        return isNew;
    }

    public void Reset()
    {
        Score = 0;
        Accounts = 0;
        Failures = 0;
        recentAccounts.Clear();
    }
}
