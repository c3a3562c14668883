using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

public sealed class SqliteTokenStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-storage");
    private readonly SqliteStorage storage;

    public SqliteTokenStoreTests()
    {
        storage = SqliteStorage.Open(folder.Combine(SqliteStorage.DefaultFileName));
    }

    private ITokenStore Store => storage.Tokens;

    [Fact]
    public async Task ANewStoreHasLearnedNothing()
    {
        Assert.Equal(new TokenCounts(0, 0), await Store.GetTotalsAsync(default));
        Assert.Empty(await Store.GetCountsAsync([1, 2, 3], default));
    }

    [Fact]
    public async Task LearningCountsEachTokenOncePerMessageAndTheMessagesInTheTotals()
    {
        await Store.LearnAsync([new TokenTraining([1, 2], IsSpam: false), new TokenTraining([2, 3], IsSpam: true)], Now, default);
        await Store.LearnAsync([new TokenTraining([-5, 2], IsSpam: true)], Now, default);

        var counts = await Store.GetCountsAsync([1, 2, 3, -5, 99], default);

        Assert.Equal(new TokenCounts(1, 0), counts[1]);
        Assert.Equal(new TokenCounts(1, 2), counts[2]);
        Assert.Equal(new TokenCounts(0, 1), counts[3]);
        Assert.Equal(new TokenCounts(0, 1), counts[-5]);
        Assert.False(counts.ContainsKey(99));
        Assert.Equal(new TokenCounts(1, 2), await Store.GetTotalsAsync(default));
    }

    [Fact]
    public async Task ThousandsOfTokensAreLookedUpAtOnce()
    {
        var tokens = Enumerable.Range(0, 5_000).Select(i => (long)i * 7_919).ToArray();
        await Store.LearnAsync([new TokenTraining(tokens, IsSpam: true)], Now, default);

        var counts = await Store.GetCountsAsync(tokens, default);

        Assert.Equal(5_000, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(new TokenCounts(0, 1), c));
    }

    [Fact]
    public async Task PruningForgetsOnlyTokensSeenOnceAndNotSince()
    {
        await Store.LearnAsync([new TokenTraining([1, 2, 3], IsSpam: false)], Now.AddDays(-90), default);
        await Store.LearnAsync([new TokenTraining([2], IsSpam: false)], Now.AddDays(-80), default);
        await Store.LearnAsync([new TokenTraining([3], IsSpam: true)], Now, default);

        var pruned = await Store.PruneAsync(Now.AddDays(-60), default);

        Assert.Equal(1, pruned);
        var counts = await Store.GetCountsAsync([1, 2, 3], default);
        Assert.False(counts.ContainsKey(1));
        Assert.Equal(new TokenCounts(2, 0), counts[2]);
        Assert.Equal(new TokenCounts(1, 1), counts[3]);
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }
}
