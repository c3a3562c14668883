using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Accounts.Hashing;
using Moat.Accounts.Popularity;
using Moat.Accounts.Spraying;
using Moat.Storage.Accounts;

namespace Moat.Accounts.Accounts;

/// <summary>
/// Accounts with Argon2id passwords that must not be too popular, and logins guarded by the
/// spraying detector.
/// </summary>
/// <remarks>
/// <para>
/// Popularity: a count-min sketch counts the passwords in use by their keyed hashes (the key is
/// in <c>popularity.key</c>, never in the database). A new password is refused when the sketch
/// says at least the threshold number of other accounts use it already.
/// </para>
/// <para>
/// When a password changes or an account goes, its old password's counts must go too, but the
/// old password is unknown then (<c>moat accounts passwd</c> asks only for the new one) and
/// nothing from which it could be recovered is kept. So each account stores the counter
/// positions its password incremented (one per sketch row) and those, exactly, are decremented.
/// The positions come from the keyed hash: without the key they are random numbers; with key
/// and database together they would let a guess be tested at HMAC speed rather than Argon2
/// speed, which is why the key lives in a file of its own with owner-only permissions.
/// </para>
/// <para>
/// The CLI and the gateway share the store: every change of the sketch happens in one write
/// transaction with the account change it belongs to, on counters read inside that
/// transaction, and readers reload the sketch when the store's change stamp moves.
/// </para>
/// </remarks>
public sealed class AccountService : IDisposable
{
    /// <summary>The sketch's name in the store.</summary>
    public const string SketchName = "passwords";

    /// <summary>The refusal of a too-popular password, word for word: why, and what to do instead.</summary>
    public const string TooPopularMessage = "too many accounts use this password; any other you can remember is fine";

    /// <summary>What to tell a user whose password became too popular after they chose it.</summary>
    public const string PasswordBecameTooPopularNotice = PopularityOracle.ChangeAdvice;

    private readonly IAccountStore store;
    private readonly AccountsOptions options;
    private readonly PasswordHasher hasher;
    private readonly byte[] secret;
    private readonly PopularityOracle rules;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly AccountMetrics metrics;
    private readonly SemaphoreSlim reload = new(1, 1);
    private readonly SemaphoreSlim publication = new(1, 1);
    private SketchSnapshot? snapshot;
    private string publishedBlocks = string.Empty;
    private bool shapeWarned;

    /// <param name="secret">The installation's key (<see cref="AccountSecret.LoadOrCreate"/>); the oracle and the detector each derive their own key from it.</param>
    public AccountService(
        IAccountStore store,
        byte[] secret,
        AccountsOptions options,
        ILogger<AccountService>? logger = null,
        TimeProvider? clock = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        hasher = new PasswordHasher(options.Hashing);
        this.secret = secret;

        // Only for the threshold rule: the counters live in the store and in snapshots of it, and
        // a 1 × 1 sketch keeps a second copy of 16 MiB out of memory.
        rules = new PopularityOracle(secret, new CountMinSketch(1, 1), options.Popularity);
        Detector = new SprayingDetector(secret, options.Spraying, this.clock, meterFactory);
        metrics = new AccountMetrics(meterFactory);
    }

    /// <summary>The detector this service consults; its state lives in this process only (see <see cref="PublishBlocksAsync"/>).</summary>
    public SprayingDetector Detector { get; }

    internal PasswordHasher Hasher => hasher;

    /// <summary>The service for the data folder: its key file <c>popularity.key</c> is read, or created on first use.</summary>
    public static AccountService Create(IAccountStore store, string dataDirectory, AccountsOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var secret = AccountSecret.LoadOrCreate(Path.Combine(dataDirectory, AccountSecret.DefaultFileName));
        return new AccountService(store, secret, options, loggerFactory?.CreateLogger<AccountService>(), clock);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken) =>
        await store.ListAsync(cancellationToken);

    /// <summary>The account with this name (any case), or null.</summary>
    public async Task<Account?> FindAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(AccountNames.ForLookup(name), cancellationToken);

    /// <summary>Adds an account, unless the name is taken or the password is unacceptable or too popular.</summary>
    public async Task<AccountChangeResult> AddAsync(string name, AccountRole role, string password, CancellationToken cancellationToken)
    {
        if (!AccountNames.TryNormalise(name, out var canonical, out var problem))
        {
            return new(AccountChangeOutcome.InvalidName, problem);
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not an account role.");
        }

        if (CheckNewPassword(password) is { } passwordProblem)
        {
            return new(AccountChangeOutcome.PasswordUnacceptable, passwordProblem);
        }

        if (await store.GetAsync(canonical, cancellationToken) is not null)
        {
            return Exists(canonical);
        }

        // Argon2 and the positions are computed before the write lock is taken: the gateway's
        // logins must not wait behind a CLI hashing a password.
        var hash = hasher.Hash(password);
        var shape = await GetSnapshotAsync(cancellationToken);
        var positions = PositionsOf(password, shape.Depth, shape.Width);
        var now = clock.GetUtcNow();
        var outcome = await store.UpdateAsync(
            async (transaction, token) =>
            {
                if (await transaction.GetAsync(canonical, token) is not null)
                {
                    return AccountChangeOutcome.AlreadyExists;
                }

                var sketch = await LoadOrCreateSketchAsync(transaction, token);
                RequireShape(sketch, shape);
                var users = await transaction.CountAsync(token) + 1;
                if (IsTooPopular(sketch.Counters, positions, users))
                {
                    return AccountChangeOutcome.PasswordTooPopular;
                }

                Increment(sketch.Counters, positions);
                await transaction.SaveSketchAsync(SketchName, sketch.Depth, sketch.Width, sketch.Counters, token);
                await transaction.AddAsync(new Account(canonical, role, hash, false, now, now, null, false, positions), token);
                return AccountChangeOutcome.Done;
            },
            cancellationToken);

        switch (outcome)
        {
            case AccountChangeOutcome.Done:
                logger.LogInformation("Added the account {Account} ({Role}).", canonical, role);
                return new(outcome, $"Added {canonical} ({FormatRole(role)}).");
            case AccountChangeOutcome.PasswordTooPopular:
                return Refused(canonical);
            default:
                return Exists(canonical);
        }
    }

    /// <summary>
    /// Sets a new password: the old one's sketch counts are removed (by the stored positions),
    /// then the new one must pass the same test as for a new account.
    /// </summary>
    public async Task<AccountChangeResult> ChangePasswordAsync(string name, string newPassword, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        if (CheckNewPassword(newPassword) is { } passwordProblem)
        {
            return new(AccountChangeOutcome.PasswordUnacceptable, passwordProblem);
        }

        if (await store.GetAsync(key, cancellationToken) is null)
        {
            return NotFound(key);
        }

        var hash = hasher.Hash(newPassword);
        var shape = await GetSnapshotAsync(cancellationToken);
        var positions = PositionsOf(newPassword, shape.Depth, shape.Width);
        var now = clock.GetUtcNow();
        var outcome = await store.UpdateAsync(
            async (transaction, token) =>
            {
                if (await transaction.GetAsync(key, token) is not { } account)
                {
                    return AccountChangeOutcome.NotFound;
                }

                var sketch = await LoadOrCreateSketchAsync(transaction, token);
                RequireShape(sketch, shape);

                // Without its own old count, re-choosing the same password is judged like any other.
                Decrement(sketch.Counters, account.SketchPositions, account.Name);
                var users = await transaction.CountAsync(token);
                if (IsTooPopular(sketch.Counters, positions, users))
                {
                    // Nothing was saved, so the decrement above is dropped with the transaction.
                    return AccountChangeOutcome.PasswordTooPopular;
                }

                Increment(sketch.Counters, positions);
                await transaction.SaveSketchAsync(SketchName, sketch.Depth, sketch.Width, sketch.Counters, token);
                await transaction.SetPasswordAsync(key, hash, positions, now, token);
                return AccountChangeOutcome.Done;
            },
            cancellationToken);

        switch (outcome)
        {
            case AccountChangeOutcome.Done:
                logger.LogInformation("Changed the password of {Account}.", key);
                return new(outcome, $"Changed the password of {key}.");
            case AccountChangeOutcome.PasswordTooPopular:
                return Refused(key);
            default:
                return NotFound(key);
        }
    }

    /// <summary>Removes the account and its password's counts.</summary>
    public async Task<AccountChangeResult> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        var removed = await store.UpdateAsync(
            async (transaction, token) =>
            {
                if (await transaction.GetAsync(key, token) is not { } account)
                {
                    return false;
                }

                if (await transaction.LoadSketchAsync(SketchName, token) is { } sketch)
                {
                    Decrement(sketch.Counters, account.SketchPositions, account.Name);
                    await transaction.SaveSketchAsync(SketchName, sketch.Depth, sketch.Width, sketch.Counters, token);
                }

                return await transaction.RemoveAsync(key, token);
            },
            cancellationToken);
        if (!removed)
        {
            return NotFound(key);
        }

        logger.LogInformation("Removed the account {Account}.", key);
        return new(AccountChangeOutcome.Done, $"Removed {key}.");
    }

    public Task<AccountChangeResult> LockAsync(string name, CancellationToken cancellationToken) => SetLockedAsync(name, true, cancellationToken);

    public Task<AccountChangeResult> UnlockAsync(string name, CancellationToken cancellationToken) => SetLockedAsync(name, false, cancellationToken);

    /// <summary>
    /// Checks a login. The spraying detector is asked first (a blocked source gets no password
    /// check at all, a suspicious one waits its delay first) and told the outcome after. Unknown and locked accounts cost one Argon2id
    /// computation at the configured settings, as a wrong password does, so response times do
    /// not reveal which accounts exist. On success an outdated hash is replaced and the
    /// password's popularity is checked again.
    /// </summary>
    public async Task<LoginResult> VerifyAsync(string name, string password, IPAddress source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(source);
        var key = AccountNames.ForLookup(name);
        var decision = Detector.Check(source, key);
        if (decision.Gate == LoginGate.Block)
        {
            metrics.Login(LoginOutcome.TooManyAttempts);

            // Debug only: during an attack this would be one line per attempt; the metrics count them.
            logger.LogDebug("Refused a login to {Account} from {Source} unchecked: {Reason}", key, source, decision.Reason);
            return new LoginResult(LoginOutcome.TooManyAttempts, decision.Delay, Reason: decision.Reason);
        }

        var delay = TimeSpan.Zero;
        if (decision.Gate == LoginGate.Slow && decision.Delay > TimeSpan.Zero)
        {
            // Held back here rather than by the caller, so no protocol can forget to.
            delay = decision.Delay;
            await Task.Delay(delay, clock, cancellationToken);
        }

        // Refused for the password alone, before the account is looked at, so it says nothing about the account.
        if (PasswordHasher.CheckPassword(password) is not null)
        {
            return await FailAsync(LoginOutcome.BadCredentials, source, key, password, delay, cancellationToken);
        }

        var account = await store.GetAsync(key, cancellationToken);
        if (account is null || account.Locked)
        {
            hasher.VerifyDummy(password);
            return await FailAsync(account is null ? LoginOutcome.BadCredentials : LoginOutcome.Locked, source, key, password, delay, cancellationToken);
        }

        if (!hasher.Verify(password, account.PasswordHash))
        {
            return await FailAsync(LoginOutcome.BadCredentials, source, key, password, delay, cancellationToken);
        }

        Detector.RecordSuccess(source, key);
        var rehashed = false;
        if (hasher.NeedsRehash(account.PasswordHash))
        {
            // Compare-and-swap: a password changed by the CLI meanwhile is not overwritten.
            rehashed = await store.ReplaceHashAsync(key, account.PasswordHash, hasher.Hash(password), cancellationToken);
            if (rehashed)
            {
                logger.LogInformation("Rehashed the password of {Account} with the current settings.", key);
            }
        }

        var tooPopular = await IsTooPopularForOthersAsync(account, cancellationToken);
        await store.RecordLoginAsync(key, clock.GetUtcNow(), tooPopular, cancellationToken);
        if (tooPopular)
        {
            logger.LogInformation("{Account} logged in with a password too many accounts now use; they are asked to change it.", key);
        }

        metrics.Login(LoginOutcome.Success);
        await PublishBlocksAsync(cancellationToken);
        return new LoginResult(LoginOutcome.Success, delay, tooPopular, rehashed);
    }

    /// <summary>
    /// Writes the detector's blocks in force to the store when they changed since the last
    /// write, for <c>moat accounts blocks</c>. Logins call it; a host may also call it on a timer.
    /// A store that cannot be written is logged, not thrown: logins go on.
    /// </summary>
    public async Task PublishBlocksAsync(CancellationToken cancellationToken)
    {
        var blocks = ActiveBlocks();
        var fingerprint = string.Join('\n', blocks.Select(b => $"{b.Network} {b.Until.ToUnixTimeMilliseconds()} {b.Reason}"));
        if (fingerprint == Volatile.Read(ref publishedBlocks))
        {
            return;
        }

        await publication.WaitAsync(cancellationToken);
        try
        {
            await store.ReplaceSprayBlocksAsync([.. blocks.Select(b => new SprayBlockRecord(b.Network, b.Until, b.Reason, b.Score))], cancellationToken);
            Volatile.Write(ref publishedBlocks, fingerprint);
        }
        catch (Moat.Storage.StorageException ex)
        {
            logger.LogWarning("Could not publish the spraying blocks: {Problem}", ex.Message);
        }
        finally
        {
            publication.Release();
        }
    }

    /// <summary>Takes over the blocks a previous run of the gateway published, so a restart does not lift them.</summary>
    public async Task RestoreBlocksAsync(CancellationToken cancellationToken)
    {
        var saved = await store.ListSprayBlocksAsync(clock.GetUtcNow(), cancellationToken);
        Detector.Restore(saved.Select(b => new SourceBlock(b.Network, b.Until, b.Reason, b.Score)));
        logger.LogInformation("Took over {Count} spraying block(s) from the previous run.", saved.Count);
    }

    public void Dispose()
    {
        Detector.Dispose();
        metrics.Dispose();
        reload.Dispose();
        publication.Dispose();
    }

    /// <summary>Why <paramref name="password"/> cannot be anyone's password, or null when it can (popularity aside).</summary>
    public string? CheckNewPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "The password is empty.";
        }

        if (password.EnumerateRunes().Count() < options.MinimumPasswordLength)
        {
            return $"The password is shorter than {options.MinimumPasswordLength} characters; a longer one you can remember is better than a complicated one.";
        }

        return PasswordHasher.CheckPassword(password);
    }

    /// <summary>The sketch counters <paramref name="password"/> increments, as flat indexes into the counters (one per row).</summary>
    internal int[] PositionsOf(string password, int depth, int width) => rules.CounterIndexes(password, depth, width);

    /// <summary>The sketch as the store has it now, loaded again only when the change stamp moved; created (and seeded) when missing.</summary>
    internal async Task<SketchSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var stamp = await store.GetChangeStampAsync(cancellationToken);
        var current = Volatile.Read(ref snapshot);
        if (current is not null && current.Stamp == stamp)
        {
            return current;
        }

        await reload.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                current = snapshot;
                if (current is not null && current.Stamp == stamp)
                {
                    return current;
                }

                // Stamp first, counters second: a change in between makes the next call reload
                // once more, never keep counters older than their stamp.
                if (await store.LoadSketchAsync(SketchName, cancellationToken) is not { } sketch)
                {
                    await store.UpdateAsync((transaction, token) => LoadOrCreateSketchAsync(transaction, token), cancellationToken);
                    stamp = await store.GetChangeStampAsync(cancellationToken);
                    continue;
                }

                WarnIfShapeDiffers(sketch);
                current = new SketchSnapshot(stamp, sketch.Depth, sketch.Width, sketch.Counters);
                Volatile.Write(ref snapshot, current);
                return current;
            }
        }
        finally
        {
            reload.Release();
        }
    }

    /// <summary>Whether accounts other than <paramref name="account"/> use its password at least the threshold number of times.</summary>
    internal async Task<bool> IsTooPopularForOthersAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.SketchPositions.Count == 0)
        {
            return false;
        }

        var current = await GetSnapshotAsync(cancellationToken);
        if (!InRange(current.Counters, account.SketchPositions))
        {
            return false;
        }

        var users = await store.CountAsync(cancellationToken);
        var others = uint.MaxValue;
        foreach (var group in account.SketchPositions.GroupBy(p => p))
        {
            var count = current.Counters[group.Key];
            var own = (uint)group.Count();
            others = Math.Min(others, count > own ? count - own : 0);
        }

        // PopularityOracle.ShouldAskToChange's rule (estimate − own count ≥ T), on the stored positions.
        return others >= (uint)rules.Threshold(users);
    }

    /// <summary>PopularityOracle.IsTooPopular's rule (estimate ≥ T), on positions computed once for the whole transaction.</summary>
    private bool IsTooPopular(uint[] counters, int[] positions, int users) =>
        positions.Min(p => counters[p]) >= (uint)rules.Threshold(users);

    private static void Increment(uint[] counters, IReadOnlyList<int> positions)
    {
        foreach (var position in positions)
        {
            if (counters[position] < uint.MaxValue)
            {
                counters[position]++;
            }
        }
    }

    private void Decrement(uint[] counters, IReadOnlyList<int> positions, string account)
    {
        if (!InRange(counters, positions))
        {
            // Only when the sketch was replaced by one of another shape; its counts never held this password.
            logger.LogWarning("The popularity counts of {Account}'s password do not fit the current sketch; nothing was subtracted.", account);
            return;
        }

        foreach (var position in positions)
        {
            if (counters[position] > 0)
            {
                counters[position]--;
            }
        }
    }

    private static bool InRange(uint[] counters, IReadOnlyList<int> positions) =>
        positions.All(p => p >= 0 && p < counters.Length);

    private async ValueTask<SketchCounters> LoadOrCreateSketchAsync(IAccountTransaction transaction, CancellationToken cancellationToken)
    {
        if (await transaction.LoadSketchAsync(SketchName, cancellationToken) is { } existing)
        {
            return existing;
        }

        // First use: seeded with the common passwords, so they are refused from the first account on.
        var popularity = options.Popularity;
        var sketch = new CountMinSketch(popularity.Depth, popularity.Width);
        var seeds = CommonPasswords.Load();
        new PopularityOracle(secret, sketch, popularity).Seed(seeds);
        var counters = sketch.ToArray();
        await transaction.SaveSketchAsync(SketchName, sketch.Depth, sketch.Width, counters, cancellationToken);
        logger.LogInformation(
            "Created the password popularity sketch ({Depth} × {Width} counters) with {Count} common passwords.", sketch.Depth, sketch.Width, seeds.Count);
        return new SketchCounters(sketch.Depth, sketch.Width, counters);
    }

    private static void RequireShape(SketchCounters sketch, SketchSnapshot shape)
    {
        if (sketch.Depth != shape.Depth || sketch.Width != shape.Width)
        {
            throw new InvalidOperationException("The popularity sketch was replaced by one of another shape while the password was being checked; try again.");
        }
    }

    private void WarnIfShapeDiffers(SketchCounters sketch)
    {
        if (!shapeWarned && (sketch.Depth != options.Popularity.Depth || sketch.Width != options.Popularity.Width))
        {
            shapeWarned = true;
            logger.LogWarning(
                "The password popularity sketch in the database is {Depth} × {Width}; accounts.popularity asks for {WantedDepth} × {WantedWidth}, which applies only to a new sketch. The stored one stays in use.",
                sketch.Depth, sketch.Width, options.Popularity.Depth, options.Popularity.Width);
        }
    }

    private PopularityOptions OptionsFor(int depth, int width)
    {
        var configured = options.Popularity;
        return new PopularityOptions
        {
            Tau = configured.Tau,
            MinimumThreshold = configured.MinimumThreshold,
            Depth = depth,
            Width = width,
            SeedCount = configured.SeedCount,
        };
    }

    // The detector lists only blocks in force; ordered here so the fingerprint does not depend on its order.
    private IReadOnlyList<SourceBlock> ActiveBlocks() =>
        [.. Detector.Blocks.OrderBy(b => b.Network, StringComparer.Ordinal)];

    private async Task<AccountChangeResult> SetLockedAsync(string name, bool locked, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        if (!await store.SetLockedAsync(key, locked, cancellationToken))
        {
            return NotFound(key);
        }

        logger.LogInformation(locked ? "Locked the account {Account}." : "Unlocked the account {Account}.", key);
        return new(AccountChangeOutcome.Done, $"{(locked ? "Locked" : "Unlocked")} {key}.");
    }

    private async Task<LoginResult> FailAsync(LoginOutcome outcome, IPAddress source, string key, string password, TimeSpan delay, CancellationToken cancellationToken)
    {
        Detector.RecordFailure(source, key, password);
        metrics.Login(outcome);
        await PublishBlocksAsync(cancellationToken);
        return new LoginResult(outcome, delay);
    }

    private AccountChangeResult Refused(string account)
    {
        metrics.PasswordRefused();
        logger.LogInformation("Refused a new password for {Account}: too many accounts use it.", account);
        return new(AccountChangeOutcome.PasswordTooPopular, TooPopularMessage);
    }

    private static AccountChangeResult Exists(string account) =>
        new(AccountChangeOutcome.AlreadyExists, $"The account {account} exists already; `moat accounts passwd {account}` sets a new password.");

    private static AccountChangeResult NotFound(string account) =>
        new(AccountChangeOutcome.NotFound, $"There is no account {account}; `moat accounts list` shows the accounts there are.");

    internal static string FormatRole(AccountRole role) => role.ToString().ToLowerInvariant();
}
