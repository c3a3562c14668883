namespace Moat.Accounts.Popularity;

/// <summary>
/// Settings of the password-popularity oracle. The defaults and the formula behind them are in
/// docs/passwords.md.
/// </summary>
public sealed class PopularityOptions
{
    /// <summary>τ: the share of users allowed to share one password.</summary>
    public double Tau { get; set; } = 1e-4;

    /// <summary>The floor of the threshold T, so small installations still allow a password twice.</summary>
    public int MinimumThreshold { get; set; } = 2;

    /// <summary>d: rows of the sketch.</summary>
    public int Depth { get; set; } = 4;

    /// <summary>
    /// w: counters per row. With d = 4 and w = 2^20 a never-seen password is refused with
    /// probability at most (1/(τ·w) + k/w)^4 for any number of users (N/T never exceeds 1/τ):
    /// 1.2·10⁻⁸ at τ = 10⁻⁴ and 8.6·10⁻⁵ at τ = 10⁻⁵ with k = 1,000 seeded passwords. 16 MiB.
    /// </summary>
    public int Width { get; set; } = 1 << 20;

    /// <summary>
    /// The weight of each seeded common password. Far above any threshold a real installation
    /// reaches (T = 10⁶ needs 10¹⁰ users at τ = 10⁻⁴), so seeded passwords stay refused however
    /// the user count grows; a seed only ever occupies one counter per row, so its weight does
    /// not raise the false-positive rate.
    /// </summary>
    public int SeedCount { get; set; } = 1_000_000;

    /// <summary>An empty sketch of the configured dimensions.</summary>
    public CountMinSketch CreateSketch() => new(Depth, Width);

    internal void Validate()
    {
        if (!(Tau > 0 && Tau <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Tau), Tau, "Tau must be in (0, 1].");
        }

        if (MinimumThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumThreshold), MinimumThreshold, "The minimum threshold must be at least 1.");
        }

        if (SeedCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SeedCount), SeedCount, "The seed count cannot be negative.");
        }
    }
}
