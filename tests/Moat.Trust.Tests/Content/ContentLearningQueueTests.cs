using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust.Content;

namespace Moat.Trust.Tests.Content;

public sealed class ContentLearningQueueTests : IDisposable
{
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();

    public void Dispose() => storage.Dispose();

    [Fact]
    public async Task QueuedMessagesAreWrittenByTheBackgroundLoop()
    {
        var queue = new ContentLearningQueue(storage.Tokens);
        using var stop = new CancellationTokenSource();
        var loop = queue.RunAsync(stop.Token);

        for (var i = 0; i < 50; i++)
        {
            await queue.EnqueueAsync(new TokenTraining([i, 1_000], IsSpam: i % 2 == 0), default);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await storage.Tokens.GetTotalsAsync(default)) != new TokenCounts(25, 25) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await loop;
        Assert.Equal(new TokenCounts(25, 25), await storage.Tokens.GetTotalsAsync(default));
        Assert.Equal(new TokenCounts(25, 25), (await storage.Tokens.GetCountsAsync([1_000], default))[1_000]);
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task WhenNothingWritesTheQueueDropsAndCountsInsteadOfGrowing()
    {
        var queue = new ContentLearningQueue(storage.Tokens);

        for (var i = 0; i < 200; i++)
        {
            await queue.EnqueueAsync(new TokenTraining([i], IsSpam: true), default);
        }

        Assert.Equal(72, queue.Dropped);
    }
}
