namespace Moat.Storage.Trust;

/// <summary>
/// The statistics of the content classifier: per token, in how many learned ham and spam messages
/// it appeared, and how many messages were learned. Tokens are keyed hashes, so the store holds no
/// text of anybody's mail.
/// </summary>
public interface ITokenStore
{
    /// <summary>How many ham and spam messages were learned.</summary>
    ValueTask<TokenCounts> GetTotalsAsync(CancellationToken cancellationToken);

    /// <summary>The counts of the given tokens; tokens never learned are left out.</summary>
    ValueTask<IReadOnlyDictionary<long, TokenCounts>> GetCountsAsync(IReadOnlyCollection<long> tokens, CancellationToken cancellationToken);

    /// <summary>Learns a batch of messages in one transaction; <paramref name="day"/> marks the tokens as recently seen.</summary>
    ValueTask LearnAsync(IReadOnlyCollection<TokenTraining> batch, DateTimeOffset day, CancellationToken cancellationToken);

    /// <summary>Forgets tokens seen in one message only and not since <paramref name="before"/>; returns how many.</summary>
    ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
