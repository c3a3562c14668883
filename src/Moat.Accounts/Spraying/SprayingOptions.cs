namespace Moat.Accounts.Spraying;

/// <summary>
/// Settings of the password-spraying detector; the rules they drive are in docs/passwords.md.
/// </summary>
public sealed class SprayingOptions
{
    /// <summary>Sources are judged per network of this size, so that hopping between neighbouring addresses does not help.</summary>
    public int IPv4PrefixLength { get; set; } = 24;

    public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>
    /// P: a password counts fully as popular among failures once it failed on this many accounts
    /// (decayed, any source); one that failed on a single account counts nothing, in between
    /// linearly. Typos are nearly unique, spraying passwords fail everywhere.
    /// </summary>
    public double PopularFailures { get; set; } = 4;

    /// <summary>The weight of a further failure on an account the source already failed on recently, against 1 for a new account.</summary>
    public double RepeatAccountWeight { get; set; } = 0.5;

    /// <summary>A source whose score reaches this is slowed by <see cref="SourceSlowDelay"/>.</summary>
    public double SlowScore { get; set; } = 5;

    /// <summary>A source whose score reaches this, and that failed on at least <see cref="MinimumAccountsToBlock"/> accounts, is blocked.</summary>
    public double BlockScore { get; set; } = 20;

    /// <summary>Sources that failed on fewer accounts are never blocked, whatever their passwords: a user and their own mistakes.</summary>
    public int MinimumAccountsToBlock { get; set; } = 3;

    public TimeSpan SourceSlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Half-life of source scores and of the failure sketch (halved once per half-life).</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Failures per account (from any source) that cost nothing; from this many on, each attempt is delayed.</summary>
    public int AccountFreeFailures { get; set; } = 3;

    /// <summary>The first account delay; it doubles with each further failure up to <see cref="AccountMaximumDelay"/>. Never a lock.</summary>
    public TimeSpan AccountBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AccountMaximumDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Half-life of an account's failure count; a success clears it.</summary>
    public TimeSpan AccountHalfLife { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// An account that logged in successfully from a network is let through a block of that
    /// network (with its own delay) for this long, so a stranger behind the same NAT cannot lock
    /// its users out.
    /// </summary>
    public TimeSpan KnownNetworkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Count the embedded common passwords as popular among failures from the start.</summary>
    public bool SeedCommonPasswords { get; set; } = true;

    public int SketchDepth { get; set; } = 4;

    /// <summary>
    /// 2^18 counters per row (4 MiB at depth 4): with M failures counted, a typo seen once looks
    /// fully popular with probability at most (M/((P−1)·w))^d, 2.6·10⁻⁴ at M = 100,000.
    /// </summary>
    public int SketchWidth { get; set; } = 1 << 18;

    public int MaximumSources { get; set; } = 100_000;

    public int MaximumAccounts { get; set; } = 100_000;

    public int MaximumBlocks { get; set; } = 10_000;

    public int MaximumKnownNetworks { get; set; } = 100_000;

    internal void Validate()
    {
        Require(IPv4PrefixLength is >= 8 and <= 32, nameof(IPv4PrefixLength), "must be 8–32");
        Require(IPv6PrefixLength is >= 16 and <= 128, nameof(IPv6PrefixLength), "must be 16–128");
        Require(PopularFailures > 1, nameof(PopularFailures), "must be above 1");
        Require(RepeatAccountWeight is >= 0 and <= 1, nameof(RepeatAccountWeight), "must be 0–1");
        Require(SlowScore > 0, nameof(SlowScore), "must be positive");
        Require(BlockScore >= SlowScore, nameof(BlockScore), "must be at least SlowScore");
        Require(MinimumAccountsToBlock >= 2, nameof(MinimumAccountsToBlock), "must be at least 2");
        Require(SourceSlowDelay >= TimeSpan.Zero, nameof(SourceSlowDelay), "cannot be negative");
        Require(BlockDuration > TimeSpan.Zero, nameof(BlockDuration), "must be positive");
        Require(HalfLife > TimeSpan.Zero, nameof(HalfLife), "must be positive");
        Require(AccountFreeFailures >= 0, nameof(AccountFreeFailures), "cannot be negative");
        Require(AccountBaseDelay >= TimeSpan.Zero, nameof(AccountBaseDelay), "cannot be negative");
        Require(AccountMaximumDelay >= AccountBaseDelay, nameof(AccountMaximumDelay), "must be at least AccountBaseDelay");
        Require(AccountHalfLife > TimeSpan.Zero, nameof(AccountHalfLife), "must be positive");
        Require(KnownNetworkLifetime >= TimeSpan.Zero, nameof(KnownNetworkLifetime), "cannot be negative");
        Require(SketchDepth >= 1, nameof(SketchDepth), "must be positive");
        Require(SketchWidth >= 1, nameof(SketchWidth), "must be positive");
        Require(MaximumSources >= 1, nameof(MaximumSources), "must be positive");
        Require(MaximumAccounts >= 1, nameof(MaximumAccounts), "must be positive");
        Require(MaximumBlocks >= 1, nameof(MaximumBlocks), "must be positive");
        Require(MaximumKnownNetworks >= 0, nameof(MaximumKnownNetworks), "cannot be negative");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} {rule}.");
        }
    }
}
