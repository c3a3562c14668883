using Moat.Storage.Trust;

namespace Moat.Bench.Trust.Stores;

/// <summary>The list content check's token statistics in memory (see <see cref="InMemoryTrustStore"/> for why not SQLite).</summary>
internal sealed class InMemoryTokenStore : ITokenStore
{
    private readonly Dictionary<long, TokenCounts> counts = [];
    private TokenCounts totals;

    public ValueTask<TokenCounts> GetTotalsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(totals);

    public ValueTask<IReadOnlyDictionary<long, TokenCounts>> GetCountsAsync(IReadOnlyCollection<long> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var found = new Dictionary<long, TokenCounts>();
        foreach (var token in tokens)
        {
            if (counts.TryGetValue(token, out var value))
            {
                found[token] = value;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<long, TokenCounts>>(found);
    }

    public ValueTask LearnAsync(IReadOnlyCollection<TokenTraining> batch, DateTimeOffset day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var message in batch)
        {
            var (ham, spam) = message.IsSpam ? (0, 1) : (1, 0);
            foreach (var token in message.Tokens)
            {
                var old = counts.GetValueOrDefault(token);
                counts[token] = new TokenCounts(old.Ham + ham, old.Spam + spam);
            }

            totals = new TokenCounts(totals.Ham + ham, totals.Spam + spam);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
}
