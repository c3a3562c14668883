using Moat.Storage.Trust;

namespace Moat.Bench.Trust.Stores;

/// <summary>Good-mail counters in memory (see <see cref="InMemoryTrustStore"/> for why not SQLite).</summary>
internal sealed class InMemoryFamiliarityStore : IFamiliarityStore
{
    private readonly Dictionary<(FamiliarityKind Kind, string Key), long> counts = [];

    public ValueTask RecordGoodMailAsync(IReadOnlyCollection<(FamiliarityKind Kind, string Key)> counters, DateTimeOffset seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counters);
        foreach (var counter in counters)
        {
            counts[(counter.Kind, counter.Key.ToLowerInvariant())] = counts.GetValueOrDefault((counter.Kind, counter.Key.ToLowerInvariant())) + 1;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> GetCountAsync(FamiliarityKind kind, string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(counts.GetValueOrDefault((kind, key.ToLowerInvariant())));
}
