namespace Moat.Accounts.Popularity;

/// <summary>
/// Refuses passwords that too many accounts already use (Schechter, Herley, Mitzenmacher,
/// "Popularity Is Everything", HotSec 2010). Every user's current password is counted in a
/// count-min sketch over its keyed hash; a password whose estimate reaches
/// T = max(MinimumThreshold, ⌈τN⌉) is refused. An estimate never undercounts, so a password that
/// T accounts use is always refused; a never-seen password is refused with probability at most
/// (N/(T·w))^d.
/// </summary>
/// <remarks>
/// The callers keep the sketch in step with the accounts: <see cref="Add"/> when a password is
/// set, <see cref="Remove"/> of the old one when it is changed and when an account is removed.
/// Nothing here stores or logs a password or an unkeyed hash of one.
/// </remarks>
public sealed class PopularityOracle
{
    /// <summary>What a user who picked a refused password is told.</summary>
    public const string RefusalMessage = "too many accounts use this password; any other you can remember is fine";

    /// <summary>What a user whose current password has become too popular is told at login.</summary>
    public const string ChangeAdvice = "Too many accounts now use your password, which makes it easy to guess; please choose another. Any other you can remember is fine.";

    /// <summary>The deepest sketch <see cref="Dimensions"/> proposes: each row costs a memory access per check.</summary>
    public const int MaximumProposedDepth = 8;

    internal const string HashPurpose = "Moat.Accounts.Popularity.v1";

    private readonly KeyedHasher hasher;
    private readonly double tau;
    private readonly int minimumThreshold;
    private readonly int seedCount;

    // The last (user count, T) pair, packed so one atomic read sees both: the decimal arithmetic
    // costs more than the sketch lookup, and the user count rarely changes between checks.
    private long lastThreshold = -1;

    /// <param name="secret">At least 32 random bytes from a key file kept apart from the database that holds the sketch.</param>
    public PopularityOracle(byte[] secret, CountMinSketch sketch, PopularityOptions options)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        hasher = new KeyedHasher(secret, HashPurpose);
        Sketch = sketch;
        // Taken once: changing the options object later does not change a running oracle.
        tau = options.Tau;
        minimumThreshold = options.MinimumThreshold;
        seedCount = options.SeedCount;
    }

    public CountMinSketch Sketch { get; }

    /// <summary>T = max(MinimumThreshold, ⌈τN⌉).</summary>
    public int Threshold(int userCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        var last = Volatile.Read(ref lastThreshold);
        if (last >= 0 && (int)(last >> 32) == userCount)
        {
            return (int)(uint)last;
        }

        // In decimal, so that 10⁻⁴ × 10⁶ is exactly 100 and not 100.00000000000001 → 101.
        var scaled = Math.Ceiling((decimal)tau * userCount);
        var threshold = (int)Math.Min(int.MaxValue, Math.Max(minimumThreshold, scaled));
        Volatile.Write(ref lastThreshold, ((long)userCount << 32) | (uint)threshold);
        return threshold;
    }

    /// <summary>Whether a password someone wants to set is refused: its estimate reaches T.</summary>
    public bool IsTooPopular(string password, int userCount) => Estimate(password) >= (uint)Threshold(userCount);

    /// <summary>
    /// Whether a user whose current (counted) password this is should be asked to choose another:
    /// the other accounts alone reach T, so the password would be refused if chosen now.
    /// </summary>
    public bool ShouldAskToChange(string currentPassword, int userCount) => (long)Estimate(currentPassword) - 1 >= Threshold(userCount);

    /// <summary>The sketch's estimate of how many accounts use the password (never below the truth).</summary>
    public uint Estimate(string password)
    {
        Span<byte> hash = stackalloc byte[KeyedHasher.HashSize];
        hasher.Hash(password, hash);
        return Sketch.Estimate(hash);
    }

    /// <summary>
    /// The flat indexes into <see cref="CountMinSketch.ToArray"/> of the counters the password
    /// maps to, one per row: stored with an account, they let its count be removed later without
    /// the password. Like the counters, they mean nothing without the secret.
    /// </summary>
    public int[] CounterIndexes(string password)
    {
        Span<byte> hash = stackalloc byte[KeyedHasher.HashSize];
        hasher.Hash(password, hash);
        var indexes = new int[Sketch.Depth];
        Sketch.GetIndexes(hash, indexes);
        return indexes;
    }

    /// <summary>
    /// <see cref="CounterIndexes(string)"/> for a sketch of another shape (the stored one), without
    /// holding such a sketch in memory.
    /// </summary>
    public int[] CounterIndexes(string password, int depth, int width)
    {
        Span<byte> hash = stackalloc byte[KeyedHasher.HashSize];
        hasher.Hash(password, hash);
        var indexes = new int[depth];
        CountMinSketch.GetIndexes(hash, depth, width, indexes);
        return indexes;
    }

    /// <summary>Counts a password that an account now uses.</summary>
    public void Add(string password) => Change(password, +1);

    /// <summary>Uncounts a password an account no longer uses; only for passwords counted before.</summary>
    public void Remove(string password) => Change(password, -1);

    /// <summary>Counts each distinct common password <see cref="PopularityOptions.SeedCount"/> times.</summary>
    public void Seed(IEnumerable<string> commonPasswords)
    {
        ArgumentNullException.ThrowIfNull(commonPasswords);
        foreach (var password in commonPasswords.Distinct(StringComparer.Ordinal))
        {
            Change(password, seedCount);
        }
    }

    /// <summary>
    /// The sketch with the least memory (d·w counters, d ≤ <see cref="MaximumProposedDepth"/>,
    /// the shallower one on a tie) whose bound (N/(T·w))^d is at most
    /// <paramref name="falsePositive"/>. To account for k seeded passwords, pass N + k·T as users.
    /// </summary>
    public static (int Depth, int Width) Dimensions(long users, int threshold, double falsePositive)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        if (!(falsePositive > 0 && falsePositive < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositive), falsePositive, "The false-positive rate must be in (0, 1).");
        }

        var ratio = (double)users / threshold;
        if (ratio == 0)
        {
            return (1, 1);
        }

        (int Depth, int Width)? best = null;
        for (var depth = 1; depth <= MaximumProposedDepth; depth++)
        {
            var estimate = Math.Ceiling(ratio / Math.Pow(falsePositive, 1.0 / depth));
            if (estimate * depth > Array.MaxLength)
            {
                continue;
            }

            // Pow and the division round; step to the exact smallest width.
            var width = (int)Math.Max(1, estimate);
            while (width > 1 && FalsePositiveBound(users, threshold, depth, width - 1) <= falsePositive)
            {
                width--;
            }

            while (FalsePositiveBound(users, threshold, depth, width) > falsePositive)
            {
                width++;
            }

            if (best is null || (long)depth * width < (long)best.Value.Depth * best.Value.Width)
            {
                best = (depth, width);
            }
        }

        return best ?? throw new ArgumentOutOfRangeException(nameof(falsePositive), falsePositive, "No sketch of at most one array's size reaches this rate.");
    }

    /// <summary>
    /// (N/(T·w))^d, capped at 1: by Markov's inequality a row's counter for a never-seen password
    /// reaches T with probability at most N/(T·w), and the rows are hashed independently.
    /// </summary>
    public static double FalsePositiveBound(long users, int threshold, int depth, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var perRow = Math.Min(1.0, users / ((double)threshold * width));
        return Math.Pow(perRow, depth);
    }

    private void Change(string password, int delta)
    {
        Span<byte> hash = stackalloc byte[KeyedHasher.HashSize];
        hasher.Hash(password, hash);
        Sketch.Add(hash, delta);
    }
}
