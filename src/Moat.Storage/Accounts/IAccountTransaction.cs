namespace Moat.Storage.Accounts;

/// <summary>
/// The operations of <see cref="IAccountStore"/> inside one write transaction, handed out by
/// <see cref="IAccountStore.UpdateAsync"/>. Valid only until that callback returns.
/// </summary>
public interface IAccountTransaction
{
    ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken);

    ValueTask<int> CountAsync(CancellationToken cancellationToken);

    /// <returns>False when an account of that name exists (nothing is changed).</returns>
    ValueTask<bool> AddAsync(Account account, CancellationToken cancellationToken);

    /// <summary>Sets a new password hash and sketch positions, clears the too-popular flag and stamps the change time.</summary>
    /// <returns>False when there is no such account.</returns>
    ValueTask<bool> SetPasswordAsync(string name, string passwordHash, IReadOnlyList<int> sketchPositions, DateTimeOffset changed, CancellationToken cancellationToken);

    ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    ValueTask<SketchCounters?> LoadSketchAsync(string sketch, CancellationToken cancellationToken);

    ValueTask SaveSketchAsync(string sketch, int depth, int width, uint[] counters, CancellationToken cancellationToken);
}
