using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

public sealed class SqliteChallengeStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-storage");
    private readonly SqliteStorage storage;

    public SqliteChallengeStoreTests()
    {
        storage = SqliteStorage.Open(folder.Combine(SqliteStorage.DefaultFileName));
    }

    private IChallengeStore Store => storage.Challenges;

    [Fact]
    public async Task AChallengeIsFoundByItsId()
    {
        var challenge = new ChallengeRecord("c1", "bob@example.com", "alice@example.org", Now);

        await Store.AddAsync(challenge, default);

        Assert.Equal(challenge, await Store.FindAsync("c1", default));
        Assert.Null(await Store.FindAsync("c2", default));
    }

    [Fact]
    public async Task AnIdCannotBeUsedTwice()
    {
        await Store.AddAsync(new ChallengeRecord("c1", "bob@example.com", "alice@example.org", Now), default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Store.AddAsync(new ChallengeRecord("c1", "eve@example.com", "alice@example.org", Now), default));
    }

    [Fact]
    public async Task ChallengesToASenderAreCountedFromAMoment()
    {
        await Store.AddAsync(new ChallengeRecord("old", "bob@example.com", "alice@example.org", Now.AddDays(-2)), default);
        await Store.AddAsync(new ChallengeRecord("edge", "bob@example.com", "alice@example.org", Now.AddDays(-1)), default);
        await Store.AddAsync(new ChallengeRecord("new", "Bob@Example.com", "carol@example.org", Now), default);
        await Store.AddAsync(new ChallengeRecord("other", "eve@example.com", "alice@example.org", Now), default);

        Assert.Equal(2, await Store.CountSentSinceAsync("bob@example.com", Now.AddDays(-1), default));
        Assert.Equal(1, await Store.CountSentSinceAsync("BOB@example.com", Now.AddHours(-1), default));
        Assert.Equal(0, await Store.CountSentSinceAsync("nobody@example.com", Now.AddDays(-10), default));
    }

    [Fact]
    public async Task AChallengeIsConfirmedOnlyOnce()
    {
        await Store.AddAsync(new ChallengeRecord("c1", "bob@example.com", "alice@example.org", Now), default);

        Assert.True(await Store.ConfirmAsync("c1", Now.AddMinutes(5), default));
        Assert.False(await Store.ConfirmAsync("c1", Now.AddMinutes(6), default));
        Assert.False(await Store.ConfirmAsync("unknown", Now, default));
        Assert.Equal(Now.AddMinutes(5), (await Store.FindAsync("c1", default))!.Confirmed);
    }

    [Fact]
    public async Task ConcurrentConfirmationsHaveOneWinner()
    {
        await Store.AddAsync(new ChallengeRecord("c1", "bob@example.com", "alice@example.org", Now), default);
        using var other = SqliteStorage.Open(storage.DatabasePath);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? Store : other.Challenges).ConfirmAsync("c1", Now, default))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task PendingChallengesAreListedNewestFirst()
    {
        await Store.AddAsync(new ChallengeRecord("a", "a@example.com", "alice@example.org", Now.AddHours(-3)), default);
        await Store.AddAsync(new ChallengeRecord("b", "b@example.com", "alice@example.org", Now.AddHours(-1)), default);
        await Store.AddAsync(new ChallengeRecord("c", "c@example.com", "alice@example.org", Now.AddHours(-2)), default);
        await Store.ConfirmAsync("b", Now, default);

        var pending = await Store.ListPendingAsync(default);

        Assert.Equal(["c", "a"], pending.Select(p => p.Id));
    }

    [Fact]
    public async Task OldChallengesAreForgotten()
    {
        await Store.AddAsync(new ChallengeRecord("old", "a@example.com", "alice@example.org", Now.AddDays(-31)), default);
        await Store.AddAsync(new ChallengeRecord("old-confirmed", "b@example.com", "alice@example.org", Now.AddDays(-40), Now.AddDays(-39)), default);
        await Store.AddAsync(new ChallengeRecord("edge", "c@example.com", "alice@example.org", Now.AddDays(-30)), default);
        await Store.AddAsync(new ChallengeRecord("new", "d@example.com", "alice@example.org", Now), default);

        var removed = await Store.RemoveOlderThanAsync(Now.AddDays(-30), default);

        Assert.Equal(2, removed);
        Assert.Null(await Store.FindAsync("old", default));
        Assert.NotNull(await Store.FindAsync("edge", default));
        Assert.NotNull(await Store.FindAsync("new", default));
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }
}
