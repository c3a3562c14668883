namespace Moat.Storage.Accounts;

/// <summary>
/// Accounts, the popularity sketch's counters and the spraying detector's published blocks.
/// The gateway and the CLI share the store: readers keep what they loaded and reload when
/// <see cref="GetChangeStampAsync"/> changes. Anything that changes an account and the sketch
/// together goes through <see cref="UpdateAsync"/>, so no process ever sees (or overwrites)
/// one without the other.
/// </summary>
public interface IAccountStore
{
    /// <summary>The account, or null; <paramref name="name"/> is compared in canonical form (lower case).</summary>
    ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every account, ordered by name.</summary>
    ValueTask<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken);

    /// <summary>How many accounts exist (the popularity threshold grows with it).</summary>
    ValueTask<int> CountAsync(CancellationToken cancellationToken);

    /// <returns>False when an account of that name exists.</returns>
    /// <exception cref="ArgumentException">The name is not an e-mail address.</exception>
    ValueTask<bool> AddAsync(Account account, CancellationToken cancellationToken);

    /// <summary>Replaces the hash only when it still is <paramref name="expectedHash"/>: a rehash at login must not undo a password change made meanwhile.</summary>
    /// <returns>False when the account is gone or its hash changed.</returns>
    ValueTask<bool> ReplaceHashAsync(string name, string expectedHash, string newHash, CancellationToken cancellationToken);

    /// <returns>False when there is no such account.</returns>
    ValueTask<bool> SetLockedAsync(string name, bool locked, CancellationToken cancellationToken);

    /// <summary>Gives the account another role; false when there is no such account.</summary>
    ValueTask<bool> SetRoleAsync(string name, AccountRole role, CancellationToken cancellationToken);

    /// <summary>Notes a successful login and whether its password is now too popular.</summary>
    /// <returns>False when there is no such account.</returns>
    ValueTask<bool> RecordLoginAsync(string name, DateTimeOffset at, bool passwordTooPopular, CancellationToken cancellationToken);

    /// <returns>False when there was no such account.</returns>
    ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>The named sketch's counters, or null when it was never saved.</summary>
    ValueTask<SketchCounters?> LoadSketchAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores the named sketch's counters, replacing what was there.</summary>
    ValueTask SaveSketchAsync(string name, int depth, int width, uint[] counters, CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever any process adds or removes an account, changes its role,
    /// lock or password hash, or saves a sketch. Logins (last-login time, the too-popular flag)
    /// do not change it, so a busy gateway does not reload for its own bookkeeping.
    /// </summary>
    ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction that other processes wait for
    /// (SQLite's BEGIN IMMEDIATE): read the sketch, change it and the account, and commit
    /// together. An exception from <paramref name="work"/> rolls everything back.
    /// </summary>
    ValueTask<T> UpdateAsync<T>(Func<IAccountTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>Replaces the published spraying blocks with <paramref name="blocks"/>.</summary>
    ValueTask ReplaceSprayBlocksAsync(IReadOnlyCollection<SprayBlockRecord> blocks, CancellationToken cancellationToken);

    /// <summary>The published blocks still in force at <paramref name="now"/>, longest-lasting first.</summary>
    ValueTask<IReadOnlyList<SprayBlockRecord>> ListSprayBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
