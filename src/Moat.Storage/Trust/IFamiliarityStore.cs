namespace Moat.Storage.Trust;

/// <summary>
/// Counters of good mail (authenticated, accepted, clean) per sender address, sender domain and
/// client IP address, which raise trust over time. Keys are lower case.
/// </summary>
public interface IFamiliarityStore
{
    /// <summary>Adds one good message to each of the given counters, with the time it was seen.</summary>
    ValueTask RecordGoodMailAsync(IReadOnlyCollection<(FamiliarityKind Kind, string Key)> counters, DateTimeOffset seen, CancellationToken cancellationToken);

    /// <summary>The count for one key; zero when never seen.</summary>
    ValueTask<long> GetCountAsync(FamiliarityKind kind, string key, CancellationToken cancellationToken);
}
