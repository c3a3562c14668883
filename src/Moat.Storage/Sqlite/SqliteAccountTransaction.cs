using Microsoft.Data.Sqlite;
using Moat.Storage.Accounts;

namespace Moat.Storage.Sqlite;

/// <summary>One <see cref="SqliteAccountStore.UpdateAsync"/> transaction; refuses use after its callback returned.</summary>
internal sealed class SqliteAccountTransaction : IAccountTransaction
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;
    private bool closed;

    public SqliteAccountTransaction(SqliteConnection connection, SqliteTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public async ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return await SqliteAccountStore.Get(connection, transaction, AccountNames.ForLookup(name), cancellationToken);
    }

    public async ValueTask<int> CountAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return await SqliteAccountStore.Count(connection, transaction, cancellationToken);
    }

    public async ValueTask<bool> AddAsync(Account account, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return await SqliteAccountStore.Add(connection, transaction, SqliteAccountStore.Normalise(account), cancellationToken);
    }

    public async ValueTask<bool> SetPasswordAsync(string name, string passwordHash, IReadOnlyList<int> sketchPositions, DateTimeOffset changed, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return await SqliteAccountStore.SetPassword(connection, transaction, AccountNames.ForLookup(name), passwordHash, sketchPositions, changed, cancellationToken);
    }

    public async ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return await SqliteAccountStore.Remove(connection, transaction, AccountNames.ForLookup(name), cancellationToken);
    }

    public async ValueTask<SketchCounters?> LoadSketchAsync(string sketch, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        ArgumentException.ThrowIfNullOrWhiteSpace(sketch);
        return await SqliteAccountStore.LoadSketch(connection, transaction, sketch, cancellationToken);
    }

    public async ValueTask SaveSketchAsync(string sketch, int depth, int width, uint[] counters, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var blob = SqliteAccountStore.EncodeSketch(sketch, depth, width, counters);
        await SqliteAccountStore.SaveSketch(connection, transaction, sketch, depth, width, blob, cancellationToken);
    }

    internal void Close() => closed = true;

    private void ThrowIfClosed() =>
        ObjectDisposedException.ThrowIf(closed, this);
}
