using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

/// <summary>The allow-lists on a real SQLite file.</summary>
public sealed class SqliteTrustStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-storage");
    private readonly SqliteStorage storage;

    public SqliteTrustStoreTests()
    {
        storage = SqliteStorage.Open(DatabasePath);
    }

    private string DatabasePath => folder.Combine("data", SqliteStorage.DefaultFileName);

    private ITrustStore Store => storage.Trust;

    [Fact]
    public async Task AddedEntriesAreListedByOwnerThenPattern()
    {
        await Store.AddAsync(new TrustEntry("bob@example.org", "example.net", TrustSource.Manual, Now), default);
        await Store.AddAsync(new TrustEntry("alice@example.org", "zed@example.com", TrustSource.Learned, Now), default);
        await Store.AddAsync(new TrustEntry("alice@example.org", "ann@example.com", TrustSource.Contact, Now, Now.AddDays(30)), default);
        await Store.AddAsync(new TrustEntry(TrustEntry.Organisation, "partner.example", TrustSource.Manual, Now), default);

        var all = await Store.ListAsync(null, default);
        var alice = await Store.ListAsync("alice@example.org", default);

        Assert.Equal(
            ["* partner.example", "alice@example.org ann@example.com", "alice@example.org zed@example.com", "bob@example.org example.net"],
            all.Select(e => e.Owner + " " + e.Pattern));
        Assert.Equal(new TrustEntry("alice@example.org", "ann@example.com", TrustSource.Contact, Now, Now.AddDays(30)), alice[0]);
        Assert.Equal(2, alice.Count);
        Assert.Empty(await Store.ListAsync("carol@example.org", default));
    }

    [Fact]
    public async Task AddingTheSameOwnerAndPatternReplacesSourceTimeAndExpiry()
    {
        await Store.AddAsync(new TrustEntry("alice@example.org", "bob@example.com", TrustSource.Learned, Now, Now.AddDays(10)), default);
        await Store.AddAsync(new TrustEntry("ALICE@example.org", "Bob@Example.com.", TrustSource.Manual, Now.AddHours(1)), default);

        var entry = Assert.Single(await Store.ListAsync(null, default));

        Assert.Equal(new TrustEntry("alice@example.org", "bob@example.com", TrustSource.Manual, Now.AddHours(1)), entry);
    }

    [Fact]
    public async Task OwnersAndPatternsAreStoredInCanonicalForm()
    {
        await Store.AddAsync(new TrustEntry(" Alice@Example.ORG ", "Mail.Example.COM.", TrustSource.Manual, Now), default);
        await Store.AddAsync(new TrustEntry("alice@example.org", "bücher.example", TrustSource.Manual, Now), default);

        var entries = await Store.ListAsync("ALICE@EXAMPLE.ORG.", default);

        Assert.Equal(["mail.example.com", "xn--bcher-kva.example"], entries.Select(e => e.Pattern));
        Assert.All(entries, e => Assert.Equal("alice@example.org", e.Owner));
    }

    [Theory]
    [InlineData("alice@example.org", "", "empty")]
    [InlineData("alice@example.org", "a@b@example.com", "more than one @")]
    [InlineData("alice@example.org", "@example.com", "nothing before the @")]
    [InlineData("alice@example.org", "bob@", "nothing after the @")]
    [InlineData("alice@example.org", "bob smith@example.com", "contains ' '")]
    [InlineData("alice@example.org", "exa_mple.com", "'_' is not allowed")]
    [InlineData("alice@example.org", "org", "single label")]
    [InlineData("alice@example.org", "192.0.2.1", "IP address")]
    [InlineData("alice@example.org", "-bad.example", "hyphen")]
    [InlineData("alice@example.org", "a..example", "empty label")]
    [InlineData("example.org", "bob@example.com", "not an e-mail address")]
    [InlineData("", "bob@example.com", "owner is empty")]
    public async Task BadOwnersAndPatternsAreRejectedWithAReason(string owner, string pattern, string reason)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Store.AddAsync(new TrustEntry(owner, pattern, TrustSource.Manual, Now), default));

        Assert.Contains(reason, ex.Message);
        Assert.Empty(await Store.ListAsync(null, default));
    }

    [Fact]
    public async Task AddRangeWritesNothingWhenOneEntryIsInvalid()
    {
        TrustEntry[] entries =
        [
            new("alice@example.org", "good@example.com", TrustSource.Contact, Now),
            new("alice@example.org", "not an address", TrustSource.Contact, Now),
        ];

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.AddRangeAsync(entries, default));

        Assert.Empty(await Store.ListAsync(null, default));
    }

    [Fact]
    public async Task AddRangeStoresManyEntriesInOneGo()
    {
        var entries = Enumerable.Range(0, 2000)
            .Select(i => new TrustEntry("alice@example.org", $"contact{i}@example.com", TrustSource.Contact, Now))
            .ToList();

        await Store.AddRangeAsync(entries, default);
        await Store.AddRangeAsync([], default);

        Assert.Equal(2000, (await Store.ListAsync("alice@example.org", default)).Count);
    }

    [Fact]
    public async Task RemoveSaysWhetherThereWasSuchAnEntry()
    {
        await Store.AddAsync(new TrustEntry("*", "example.com", TrustSource.Manual, Now), default);

        Assert.True(await Store.RemoveAsync("*", "EXAMPLE.com.", default));
        Assert.False(await Store.RemoveAsync("*", "example.com", default));
        Assert.False(await Store.RemoveAsync("alice@example.org", "example.com", default));
        Assert.Empty(await Store.ListAsync(null, default));
    }

    [Fact]
    public async Task ExpiredEntriesAreRemovedAndOthersKept()
    {
        await Store.AddAsync(new TrustEntry("*", "gone.example", TrustSource.Manual, Now.AddDays(-40), Now.AddDays(-10)), default);
        await Store.AddAsync(new TrustEntry("*", "exactly.example", TrustSource.Manual, Now.AddDays(-40), Now), default);
        await Store.AddAsync(new TrustEntry("*", "later.example", TrustSource.Manual, Now, Now.AddDays(1)), default);
        await Store.AddAsync(new TrustEntry("*", "forever.example", TrustSource.Manual, Now), default);

        var removed = await Store.RemoveExpiredAsync(Now, default);

        Assert.Equal(2, removed);
        Assert.Equal(["forever.example", "later.example"], (await Store.ListAsync("*", default)).Select(e => e.Pattern));
    }

    [Fact]
    public async Task TimesComeBackAsUtcToTheMillisecond()
    {
        var added = new DateTimeOffset(2026, 3, 1, 14, 30, 15, 123, TimeSpan.FromHours(2));
        await Store.AddAsync(new TrustEntry("*", "example.com", TrustSource.Manual, added, added.AddDays(1)), default);

        var entry = Assert.Single(await Store.ListAsync(null, default));

        Assert.Equal(TimeSpan.Zero, entry.Added.Offset);
        Assert.Equal(added, entry.Added);
        Assert.Equal(added.AddDays(1), entry.Expires);
    }

    [Fact]
    public async Task TheChangeStampMovesWhenAnotherInstanceOfTheFileEdits()
    {
        // A second SqliteStorage on the same file stands for the CLI while the gateway runs.
        using var other = SqliteStorage.Open(DatabasePath);
        var start = await Store.GetChangeStampAsync(default);

        await other.Trust.AddAsync(new TrustEntry("*", "example.com", TrustSource.Manual, Now), default);
        var afterAdd = await Store.GetChangeStampAsync(default);
        await other.Trust.AddAsync(new TrustEntry("*", "example.com", TrustSource.Learned, Now), default);
        var afterReplace = await Store.GetChangeStampAsync(default);
        await other.Trust.RemoveAsync("*", "example.com", default);
        var afterRemove = await Store.GetChangeStampAsync(default);
        var unchanged = await Store.GetChangeStampAsync(default);
        await other.Trust.RemoveAsync("*", "example.com", default);
        var afterNoop = await Store.GetChangeStampAsync(default);

        Assert.NotEqual(start, afterAdd);
        Assert.NotEqual(afterAdd, afterReplace);
        Assert.NotEqual(afterReplace, afterRemove);
        Assert.Equal(afterRemove, unchanged);
        Assert.Equal(afterRemove, afterNoop);
    }

    [Fact]
    public async Task TheChangeStampMovesOnImportsAndExpiry()
    {
        var start = await Store.GetChangeStampAsync(default);
        await Store.AddRangeAsync([new TrustEntry("*", "a.example", TrustSource.Contact, Now, Now)], default);
        var afterImport = await Store.GetChangeStampAsync(default);
        await Store.RemoveExpiredAsync(Now, default);
        var afterExpiry = await Store.GetChangeStampAsync(default);

        Assert.NotEqual(start, afterImport);
        Assert.NotEqual(afterImport, afterExpiry);
    }

    [Fact]
    public async Task EntriesSurviveReopening()
    {
        await Store.AddAsync(new TrustEntry("*", "example.com", TrustSource.Challenge, Now), default);
        storage.Dispose();

        using var reopened = SqliteStorage.Open(DatabasePath);

        Assert.Equal(TrustSource.Challenge, Assert.Single(await reopened.Trust.ListAsync(null, default)).Source);
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }
}
