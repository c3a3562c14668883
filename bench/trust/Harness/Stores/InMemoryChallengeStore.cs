using Moat.Storage.Trust;

namespace Moat.Bench.Trust.Stores;

/// <summary>Challenges sent and answered, in memory (see <see cref="InMemoryTrustStore"/> for why not SQLite).</summary>
internal sealed class InMemoryChallengeStore : IChallengeStore
{
    private readonly Dictionary<string, ChallengeRecord> byId = new(StringComparer.Ordinal);

    public ValueTask AddAsync(ChallengeRecord challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        byId[challenge.Id] = challenge;
        return ValueTask.CompletedTask;
    }

    public ValueTask<ChallengeRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(byId.GetValueOrDefault(id));

    public ValueTask<int> CountSentSinceAsync(string sender, DateTimeOffset since, CancellationToken cancellationToken) =>
        ValueTask.FromResult(byId.Values.Count(c => c.Sender == sender && c.Sent >= since));

    public ValueTask<bool> ConfirmAsync(string id, DateTimeOffset confirmed, CancellationToken cancellationToken)
    {
        if (!byId.TryGetValue(id, out var record) || record.Confirmed is not null)
        {
            return ValueTask.FromResult(false);
        }

        byId[id] = record with { Confirmed = confirmed };
        return ValueTask.FromResult(true);
    }

    public ValueTask<IReadOnlyList<ChallengeRecord>> ListPendingAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ChallengeRecord> pending = byId.Values.Where(c => c.Confirmed is null).OrderByDescending(c => c.Sent).ToList();
        return ValueTask.FromResult(pending);
    }

    public ValueTask<int> RemoveOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var old = byId.Values.Where(c => c.Sent < before).Select(c => c.Id).ToList();
        old.ForEach(id => byId.Remove(id));
        return ValueTask.FromResult(old.Count);
    }
}
