using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

public sealed class SqliteFamiliarityStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-storage");
    private readonly SqliteStorage storage;

    public SqliteFamiliarityStoreTests()
    {
        storage = SqliteStorage.Open(folder.Combine(SqliteStorage.DefaultFileName));
    }

    private IFamiliarityStore Store => storage.Familiarity;

    [Fact]
    public async Task AnUnknownKeyCountsZero()
    {
        Assert.Equal(0L, await Store.GetCountAsync(FamiliarityKind.SenderAddress, "nobody@example.com", default));
    }

    [Fact]
    public async Task EachGoodMessageCountsOncePerCounter()
    {
        (FamiliarityKind, string)[] counters =
        [
            (FamiliarityKind.SenderAddress, "bob@example.com"),
            (FamiliarityKind.SenderDomain, "example.com"),
            (FamiliarityKind.ClientAddress, "2001:db8::25"),
        ];

        await Store.RecordGoodMailAsync(counters, Now, default);
        await Store.RecordGoodMailAsync(counters, Now.AddMinutes(1), default);
        await Store.RecordGoodMailAsync([(FamiliarityKind.SenderAddress, "bob@example.com")], Now.AddMinutes(2), default);
        await Store.RecordGoodMailAsync([], Now, default);

        Assert.Equal(3L, await Store.GetCountAsync(FamiliarityKind.SenderAddress, "bob@example.com", default));
        Assert.Equal(2L, await Store.GetCountAsync(FamiliarityKind.SenderDomain, "example.com", default));
        Assert.Equal(2L, await Store.GetCountAsync(FamiliarityKind.ClientAddress, "2001:db8::25", default));
    }

    [Fact]
    public async Task KindsAreSeparateAndKeysAreCaseInsensitive()
    {
        await Store.RecordGoodMailAsync([(FamiliarityKind.SenderDomain, "Example.COM.")], Now, default);

        Assert.Equal(1L, await Store.GetCountAsync(FamiliarityKind.SenderDomain, "example.com", default));
        Assert.Equal(0L, await Store.GetCountAsync(FamiliarityKind.SenderAddress, "example.com", default));
        Assert.Equal(1L, await Store.GetCountAsync(FamiliarityKind.SenderDomain, "EXAMPLE.com", default));
    }

    [Fact]
    public async Task ConcurrentRecordsAreNotLost()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Store.RecordGoodMailAsync([(FamiliarityKind.SenderAddress, "busy@example.com")], Now, default);
            }
        })));

        Assert.Equal(200L, await Store.GetCountAsync(FamiliarityKind.SenderAddress, "busy@example.com", default));
    }

    [Fact]
    public async Task AnEmptyKeyIsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Store.RecordGoodMailAsync([(FamiliarityKind.SenderAddress, " ")], Now, default));
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }
}
