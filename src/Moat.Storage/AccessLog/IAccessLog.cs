namespace Moat.Storage.AccessLog;

/// <summary>
/// A tamper-evident record of who viewed, downloaded, released or exported mail or data, and who
/// changed the configuration, accounts, roles or trust lists. Each entry is chained by hash to the
/// one before, so an entry edited or deleted on disk is found by <see cref="VerifyAsync"/>. Several
/// processes (the gateway and the CLI) append to the same log at once; sequence numbers stay
/// contiguous.
/// </summary>
public interface IAccessLog
{
    /// <summary>Writes the record as the next entry and returns it as stored.</summary>
    /// <exception cref="ArgumentException">No actor, an action that is not one of <see cref="AccessActions"/> (or is <see cref="AccessActions.Purge"/>), or a field too long.</exception>
    Task<AccessLogEntry> AppendAsync(AccessLogRecord record, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first.</summary>
    Task<IReadOnlyList<AccessLogEntry>> ListAsync(AccessLogQuery query, CancellationToken cancellationToken);

    /// <summary>Walks the chain from the oldest entry kept and reports the first break.</summary>
    Task<AccessLogVerification> VerifyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes entries written before <paramref name="before"/> (retention) and appends one
    /// <see cref="AccessActions.Purge"/> entry by <paramref name="actor"/> saying how many and up to
    /// which sequence; verification keeps working afterwards because the hash of the last entry
    /// deleted is kept as the anchor the remaining chain starts from. Only a run of the oldest
    /// entries is deleted (an old entry after a newer one waits for the newer one), nothing is
    /// written when there is nothing to delete, and a purge that would delete a broken part of
    /// the chain is refused rather than erase the evidence.
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    /// <exception cref="StorageException">The part to delete is broken.</exception>
    Task<int> PurgeBeforeAsync(DateTimeOffset before, string actor, CancellationToken cancellationToken);
}
