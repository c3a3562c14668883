namespace Moat.Storage.Trust;

/// <summary>
/// Allow-lists of every user and of the organisation. Several processes may use one store at
/// once (the gateway and the CLI), so readers keep a snapshot and reload it when
/// <see cref="GetChangeStampAsync"/> changes: an edit takes effect at once, without a restart.
/// </summary>
public interface ITrustStore
{
    /// <summary>
    /// Adds the entry, or replaces the entry with the same owner and pattern (the newer source,
    /// time and expiry win). Owner and pattern are normalised to lower case.
    /// </summary>
    ValueTask AddAsync(TrustEntry entry, CancellationToken cancellationToken);

    /// <summary>Adds many entries in one transaction (imports, learning from a message with many recipients).</summary>
    ValueTask AddRangeAsync(IReadOnlyCollection<TrustEntry> entries, CancellationToken cancellationToken);

    /// <returns>False when there was no such entry.</returns>
    ValueTask<bool> RemoveAsync(string owner, string pattern, CancellationToken cancellationToken);

    /// <summary>The entries of one owner, or of every owner when <paramref name="owner"/> is null, ordered by owner then pattern.</summary>
    ValueTask<IReadOnlyList<TrustEntry>> ListAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>A number that changes whenever any process changes any list.</summary>
    ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>Deletes entries whose expiry has passed; returns how many.</summary>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
