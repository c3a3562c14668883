using Moat.Storage.Trust;

namespace Moat.Bench.Trust.Stores;

/// <summary>
/// The allow-lists in memory, with the semantics <see cref="ITrustStore"/> asks for (replace on
/// the same owner and pattern, lower case, a change stamp). The benchmark measures decisions, not
/// SQLite, and one process is the only writer.
/// </summary>
internal sealed class InMemoryTrustStore : ITrustStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Owner, string Pattern), TrustEntry> entries = [];
    private long stamp;

    public ValueTask AddAsync(TrustEntry entry, CancellationToken cancellationToken) => AddRangeAsync([entry], cancellationToken);

    public ValueTask AddRangeAsync(IReadOnlyCollection<TrustEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (gate)
        {
            foreach (var entry in entries)
            {
                var normalised = entry with { Owner = entry.Owner.ToLowerInvariant(), Pattern = entry.Pattern.ToLowerInvariant().TrimEnd('.') };
                this.entries[(normalised.Owner, normalised.Pattern)] = normalised;
            }

            stamp++;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveAsync(string owner, string pattern, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var removed = entries.Remove((owner.ToLowerInvariant(), pattern.ToLowerInvariant()));
            stamp += removed ? 1 : 0;
            return ValueTask.FromResult(removed);
        }
    }

    public ValueTask<IReadOnlyList<TrustEntry>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<TrustEntry> list = entries.Values
                .Where(e => owner is null || e.Owner == owner.ToLowerInvariant())
                .OrderBy(e => e.Owner, StringComparer.Ordinal)
                .ThenBy(e => e.Pattern, StringComparer.Ordinal)
                .ToList();
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return ValueTask.FromResult(stamp);
        }
    }

    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var expired = entries.Where(e => e.Value.IsExpiredAt(now)).Select(e => e.Key).ToList();
            expired.ForEach(key => entries.Remove(key));
            stamp += expired.Count > 0 ? 1 : 0;
            return ValueTask.FromResult(expired.Count);
        }
    }
}
