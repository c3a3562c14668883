using Microsoft.Data.Sqlite;
using Moat.Storage.Accounts;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

/// <summary>Accounts, sketches and spraying blocks, on a real SQLite file and in memory.</summary>
public sealed class SqliteAccountStoreTests : IDisposable
{
    private const string Hash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-accounts-store");
    private readonly List<SqliteStorage> opened = [];

    private string DatabasePath => folder.Combine("data", SqliteStorage.DefaultFileName);

    public static TheoryData<bool> Backends => [false, true];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AddedAccountsAreReadBackInCanonicalFormOrderedByName(bool inMemory)
    {
        var store = Open(inMemory);

        Assert.True(await store.AddAsync(NewAccount(" Bob@Example.ORG ", AccountRole.Administrator) with { SketchPositions = [5, 70, 130, 200] }, default));
        Assert.True(await store.AddAsync(NewAccount("alice@example.org"), default));
        Assert.False(await store.AddAsync(NewAccount("ALICE@example.org", AccountRole.Administrator), default));

        var all = await store.ListAsync(default);
        var bob = await store.GetAsync("BOB@example.org", default);

        Assert.Equal(["alice@example.org", "bob@example.org"], all.Select(a => a.Name));
        Assert.Equal(AccountRole.User, all[0].Role);
        Assert.NotNull(bob);
        Assert.Equal(AccountRole.Administrator, bob.Role);
        Assert.Equal(Hash, bob.PasswordHash);
        Assert.Equal(Now, bob.Created);
        Assert.Equal(Now, bob.PasswordChanged);
        Assert.Null(bob.LastLogin);
        Assert.False(bob.Locked);
        Assert.False(bob.PasswordTooPopular);
        Assert.Equal([5, 70, 130, 200], bob.SketchPositions);
        Assert.Equal(2, await store.CountAsync(default));
        Assert.Null(await store.GetAsync("carol@example.org", default));
        Assert.Null(await store.GetAsync("not an address", default));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task LockLoginRehashAndRemove(bool inMemory)
    {
        var store = Open(inMemory);
        await store.AddAsync(NewAccount("alice@example.org"), default);

        Assert.True(await store.SetLockedAsync("alice@example.org", true, default));
        Assert.True((await store.GetAsync("alice@example.org", default))!.Locked);
        Assert.True(await store.SetLockedAsync("alice@example.org", false, default));
        Assert.True(await store.SetRoleAsync("Alice@example.org", AccountRole.Administrator, default));
        Assert.Equal(AccountRole.Administrator, (await store.GetAsync("alice@example.org", default))!.Role);
        Assert.True(await store.RecordLoginAsync("alice@example.org", Now.AddHours(1), passwordTooPopular: true, default));
        Assert.False(await store.ReplaceHashAsync("alice@example.org", "$argon2id$stale", "$argon2id$new", default));
        Assert.True(await store.ReplaceHashAsync("alice@example.org", Hash, "$argon2id$new", default));

        var alice = (await store.GetAsync("alice@example.org", default))!;
        Assert.False(alice.Locked);
        Assert.Equal(Now.AddHours(1), alice.LastLogin);
        Assert.True(alice.PasswordTooPopular);
        Assert.Equal("$argon2id$new", alice.PasswordHash);

        Assert.True(await store.RemoveAsync("Alice@Example.org", default));
        Assert.False(await store.RemoveAsync("alice@example.org", default));
        Assert.False(await store.SetLockedAsync("alice@example.org", true, default));
        Assert.False(await store.SetRoleAsync("alice@example.org", AccountRole.User, default));
        Assert.False(await store.RecordLoginAsync("alice@example.org", Now, false, default));
        Assert.Equal(0, await store.CountAsync(default));
    }

    [Fact]
    public async Task BadAccountsAreRefused()
    {
        var store = Open(inMemory: true);

        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(NewAccount("alice"), default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(NewAccount("alice@example.org") with { PasswordHash = "" }, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(NewAccount("alice@example.org") with { Role = (AccountRole)7 }, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(NewAccount("alice@example.org") with { SketchPositions = [-1] }, default).AsTask());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task SketchesRoundTripAndReplace(bool inMemory)
    {
        var store = Open(inMemory);
        uint[] counters = [0, 1, 2, uint.MaxValue, 7, 8];

        Assert.Null(await store.LoadSketchAsync("passwords", default));
        await store.SaveSketchAsync("passwords", 2, 3, counters, default);
        var loaded = await store.LoadSketchAsync("passwords", default);
        await store.SaveSketchAsync("passwords", 1, 2, [9, 10], default);
        var replaced = await store.LoadSketchAsync("passwords", default);

        Assert.NotNull(loaded);
        Assert.Equal((2, 3), (loaded.Depth, loaded.Width));
        Assert.Equal(counters, loaded.Counters);
        Assert.Equal(new uint[] { 9, 10 }, replaced!.Counters);
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveSketchAsync("passwords", 2, 2, [1, 2, 3], default).AsTask());
    }

    [Fact]
    public async Task ADamagedSketchIsReportedWithWhatToDo()
    {
        var store = Open(inMemory: false);
        await store.SaveSketchAsync("passwords", 2, 2, [1, 2, 3, 4], default);
        Execute("UPDATE sketches SET counters = x'0102';");

        var problem = await Assert.ThrowsAsync<StorageException>(() => store.LoadSketchAsync("passwords", default).AsTask());

        Assert.Contains("damaged", problem.Message);
        Assert.Contains("sketches", problem.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task TheChangeStampMovesForAccountsAndSketchesButNotForLogins(bool inMemory)
    {
        var store = Open(inMemory);
        var stamps = new List<long> { await store.GetChangeStampAsync(default) };
        async Task Stamp() => stamps.Add(await store.GetChangeStampAsync(default));

        await store.AddAsync(NewAccount("alice@example.org"), default);
        await Stamp();
        await store.RecordLoginAsync("alice@example.org", Now, true, default);
        await Stamp();
        await store.SetLockedAsync("alice@example.org", true, default);
        await Stamp();
        await store.SaveSketchAsync("passwords", 1, 1, [1], default);
        await Stamp();
        await store.ReplaceHashAsync("alice@example.org", Hash, "$argon2id$other", default);
        await Stamp();
        await store.RemoveAsync("alice@example.org", default);
        await Stamp();

        Assert.True(stamps[1] > stamps[0], "add");
        Assert.Equal(stamps[1], stamps[2]);
        Assert.True(stamps[3] > stamps[2], "lock");
        Assert.True(stamps[4] > stamps[3], "sketch");
        Assert.True(stamps[5] > stamps[4], "hash");
        Assert.True(stamps[6] > stamps[5], "remove");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AnUpdateCommitsAccountAndSketchTogether(bool inMemory)
    {
        var store = Open(inMemory);
        await store.SaveSketchAsync("passwords", 1, 4, [0, 0, 0, 0], default);

        var added = await store.UpdateAsync(
            async (transaction, token) =>
            {
                var sketch = (await transaction.LoadSketchAsync("passwords", token))!;
                sketch.Counters[2]++;
                await transaction.SaveSketchAsync("passwords", 1, 4, sketch.Counters, token);
                return await transaction.AddAsync(NewAccount("alice@example.org") with { SketchPositions = [2] }, token)
                    && await transaction.CountAsync(token) == 1;
            },
            default);
        var changed = await store.UpdateAsync(
            async (transaction, token) => await transaction.SetPasswordAsync("alice@example.org", "$argon2id$second", [3], Now.AddDays(1), token),
            default);

        Assert.True(added);
        Assert.True(changed);
        Assert.Equal(new uint[] { 0, 0, 1, 0 }, (await store.LoadSketchAsync("passwords", default))!.Counters);
        var alice = (await store.GetAsync("alice@example.org", default))!;
        Assert.Equal("$argon2id$second", alice.PasswordHash);
        Assert.Equal([3], alice.SketchPositions);
        Assert.Equal(Now.AddDays(1), alice.PasswordChanged);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AFailedUpdateLeavesNothingBehind(bool inMemory)
    {
        var store = Open(inMemory);
        await store.SaveSketchAsync("passwords", 1, 2, [5, 5], default);
        IAccountTransaction? leaked = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateAsync<bool>(
            async (transaction, token) =>
            {
                leaked = transaction;
                await transaction.SaveSketchAsync("passwords", 1, 2, [6, 6], token);
                await transaction.AddAsync(NewAccount("alice@example.org"), token);
                throw new InvalidOperationException("changed my mind");
            },
            default).AsTask());

        Assert.Equal(new uint[] { 5, 5 }, (await store.LoadSketchAsync("passwords", default))!.Counters);
        Assert.Equal(0, await store.CountAsync(default));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => leaked!.CountAsync(default).AsTask());
    }

    [Fact]
    public async Task ConcurrentUpdatesFromTwoOpenersNeverLoseAnIncrement()
    {
        // Two SqliteStorage instances on one file stand for the gateway and the CLI.
        var first = Open(inMemory: false);
        var second = Open(inMemory: false);
        await first.SaveSketchAsync("passwords", 1, 1, [0], default);

        async Task Increment(IAccountStore store) =>
            await store.UpdateAsync(
                async (transaction, token) =>
                {
                    var sketch = (await transaction.LoadSketchAsync("passwords", token))!;
                    await Task.Yield();
                    await transaction.SaveSketchAsync("passwords", 1, 1, [sketch.Counters[0] + 1], token);
                    return true;
                },
                default);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Increment(i % 2 == 0 ? first : second))));

        Assert.Equal(new uint[] { 20 }, (await second.LoadSketchAsync("passwords", default))!.Counters);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task SprayBlocksAreReplacedWholeAndListedWhileInForce(bool inMemory)
    {
        var store = Open(inMemory);
        await store.ReplaceSprayBlocksAsync([new SprayBlockRecord("198.51.100.0/24", Now.AddMinutes(5), "old", 21)], default);
        await store.ReplaceSprayBlocksAsync(
            [
                new SprayBlockRecord("203.0.113.0/24", Now.AddHours(1), "sprayed 12 accounts", 24.5),
                new SprayBlockRecord("2001:db8:1:2::/64", Now.AddHours(2), "sprayed 30 accounts", 31),
                new SprayBlockRecord("192.0.2.0/24", Now.AddMinutes(-1), "over", 40),
            ],
            default);

        var blocks = await store.ListSprayBlocksAsync(Now, default);

        Assert.Equal(
            [
                new SprayBlockRecord("2001:db8:1:2::/64", Now.AddHours(2), "sprayed 30 accounts", 31),
                new SprayBlockRecord("203.0.113.0/24", Now.AddHours(1), "sprayed 12 accounts", 24.5),
            ],
            blocks);
        await store.ReplaceSprayBlocksAsync([], default);
        Assert.Empty(await store.ListSprayBlocksAsync(Now, default));
    }

    public void Dispose()
    {
        foreach (var storage in opened)
        {
            storage.Dispose();
        }

        folder.Dispose();
    }

    private IAccountStore Open(bool inMemory)
    {
        var storage = inMemory ? SqliteStorage.OpenInMemory() : SqliteStorage.Open(DatabasePath);
        opened.Add(storage);
        return storage.Accounts;
    }

    private static Account NewAccount(string name, AccountRole role = AccountRole.User) =>
        new(name, role, Hash, false, Now, Now, null, false, []);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
