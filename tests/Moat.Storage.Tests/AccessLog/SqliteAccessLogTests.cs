using Microsoft.Data.Sqlite;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Storage.Tests.AccessLog;

/// <summary>The access log on a real SQLite file (and in memory): chaining, queries, concurrent writers, purge, and tampering on disk.</summary>
public sealed class SqliteAccessLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-access-log");
    private readonly ManualClock clock = new(Start);
    private readonly List<SqliteStorage> opened = [];

    private string DatabasePath => folder.Combine("data", SqliteStorage.DefaultFileName);

    public static TheoryData<bool> Backends => [false, true];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AppendedEntriesAreChainedNormalisedAndListedNewestFirst(bool inMemory)
    {
        var log = Open(inMemory);

        var first = await log.AppendAsync(new AccessLogRecord(" alice@example.org ", AccessActions.View, "M1", ["Bob@Example.COM", "carol@example.net", "bob@example.com", " "], "  ticket 42 "), default);
        clock.Advance(TimeSpan.FromMilliseconds(1500.7));
        var second = await log.AppendAsync(new AccessLogRecord("cli:root", AccessActions.TrustChange, Detail: "added partner.example"), default);
        var listed = await log.ListAsync(new AccessLogQuery(), default);

        Assert.Equal(new AccessLogEntry(1, Start, "alice@example.org", "view", "M1", ["bob@example.com", "carol@example.net"], "ticket 42", null, AccessLogHasher.GenesisHash, first.Hash), first, EntryComparer.Instance);
        Assert.Equal(AccessLogHasher.Compute(first), first.Hash);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(Start.AddMilliseconds(1500), second.At);
        Assert.Empty(second.DataSubjects);
        Assert.Equal([second, first], listed, EntryComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ListFiltersBySubjectActorAndMessageAndPagesBackwards(bool inMemory)
    {
        var log = Open(inMemory);
        for (var i = 1; i <= 6; i++)
        {
            var subjects = i % 2 == 0 ? new[] { "alice@example.org", "bob@example.com" } : ["bob@example.com"];
            await log.AppendAsync(new AccessLogRecord(i <= 3 ? "admin@example.org" : "helpdesk@example.org", AccessActions.View, $"M{i % 3}", subjects), default);
        }

        var alice = await log.ListAsync(new AccessLogQuery(DataSubject: " ALICE@example.org"), default);
        var aliceByHelpdesk = await log.ListAsync(new AccessLogQuery(DataSubject: "alice@example.org", Actor: "helpdesk@example.org"), default);
        var message = await log.ListAsync(new AccessLogQuery(MessageId: "M1"), default);
        var page = await log.ListAsync(new AccessLogQuery(DataSubject: "bob@example.com", Limit: 2, BeforeSequence: 5), default);
        var firstPage = await log.ListAsync(new AccessLogQuery(Limit: 2), default);
        var nobody = await log.ListAsync(new AccessLogQuery(DataSubject: "carol@example.net"), default);

        Assert.Equal([6, 4, 2], alice.Select(e => e.Sequence));
        Assert.All(alice, e => Assert.Contains("alice@example.org", e.DataSubjects));
        Assert.Equal([6, 4], aliceByHelpdesk.Select(e => e.Sequence));
        Assert.Equal([4, 1], message.Select(e => e.Sequence));
        Assert.Equal([4, 3], page.Select(e => e.Sequence));
        Assert.Equal([6, 5], firstPage.Select(e => e.Sequence));
        Assert.Empty(nobody);
    }

    [Fact]
    public void ListingBySubjectIsAnIndexLookup()
    {
        Open(inMemory: false);

        var plan = string.Join(
            "\n",
            Query(
                "EXPLAIN QUERY PLAN SELECT l.sequence FROM access_log_subjects f JOIN access_log l ON l.sequence = f.sequence WHERE f.subject = 'a@example.org' ORDER BY f.sequence DESC LIMIT 10;",
                reader => reader.GetString(3)));

        Assert.Contains("SEARCH f USING PRIMARY KEY (subject=?)", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public async Task BadRecordsAndQueriesAreRefused()
    {
        var log = Open(inMemory: true);

        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AccessLogRecord(" ", AccessActions.View), default));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AccessLogRecord("alice@example.org", "peek"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AccessLogRecord("alice@example.org", AccessActions.Purge), default));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AccessLogRecord("alice@example.org", AccessActions.View, Detail: new string('x', SqliteAccessLog.MaxFieldLength + 1)), default));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AccessLogRecord("alice@example.org", AccessActions.View, Reason: "bad \ud800"), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ListAsync(new AccessLogQuery(Limit: 0), default));
        await Assert.ThrowsAsync<ArgumentException>(() => log.PurgeBeforeAsync(Start, "", default));
        Assert.Empty(await log.ListAsync(new AccessLogQuery(), default));
    }

    [Fact]
    public async Task ConcurrentAppendsFromTwoOpenersGetContiguousSequences()
    {
        // Two SqliteStorage instances on one file stand for the gateway and the CLI.
        var gateway = Open(inMemory: false);
        var cli = Open(inMemory: false);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            (i % 2 == 0 ? gateway : cli).AppendAsync(new AccessLogRecord(i % 2 == 0 ? "system" : "cli:root", AccessActions.View, $"M{i}", [$"user{i}@example.org"]), default))));

        var all = await cli.ListAsync(new AccessLogQuery(Limit: 1000), default);
        var verification = await gateway.VerifyAsync(default);

        Assert.Equal(Enumerable.Range(1, 100).Reverse().Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal(100, all.Select(e => e.MessageId).Distinct().Count());
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(100, verification.EntriesChecked);
        Assert.Equal(all[0].Hash, verification.HeadHash);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AnEmptyAndAnIntactLogVerify(bool inMemory)
    {
        var log = Open(inMemory);

        var empty = await log.VerifyAsync(default);
        var entries = await AppendAsync(log, 4);
        var intact = await log.VerifyAsync(default);

        Assert.Equal(new AccessLogVerification(true, 0, null, null, AccessLogHasher.GenesisHash), empty);
        Assert.Equal(new AccessLogVerification(true, 4, null, null, entries[^1].Hash), intact);
    }

    [Fact]
    public async Task TheChainGoesOnAfterReopening()
    {
        await AppendAsync(Open(inMemory: false), 2);
        DisposeAll();

        var reopened = Open(inMemory: false);
        var third = await reopened.AppendAsync(new AccessLogRecord("system", AccessActions.View), default);

        Assert.Equal(3, third.Sequence);
        Assert.True((await reopened.VerifyAsync(default)).Intact);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PurgeDeletesTheOldestEntriesAndVerificationStartsFromTheAnchor(bool inMemory)
    {
        var log = Open(inMemory);
        var entries = await AppendAsync(log, 4, TimeSpan.FromDays(1));

        var purged = await log.PurgeBeforeAsync(Start.AddDays(1.5), "system", default);
        var afterPurge = await log.ListAsync(new AccessLogQuery(), default);
        var verification = await log.VerifyAsync(default);
        var nothingMore = await log.PurgeBeforeAsync(Start.AddDays(1.5), "system", default);

        Assert.Equal(2, purged);
        Assert.Equal([5, 4, 3], afterPurge.Select(e => e.Sequence));
        var purge = afterPurge[0];
        Assert.Equal(AccessActions.Purge, purge.Action);
        Assert.Equal("system", purge.Actor);
        Assert.Equal($"purged 2 entries written before 2026-03-03T00:00:00.000Z; anchor #2 {entries[1].Hash}", purge.Detail);
        Assert.Equal(entries[1].Hash, afterPurge[^1].PreviousHash);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(3, verification.EntriesChecked);
        Assert.Equal(0, nothingMore);
        Assert.Equal(3, (await log.ListAsync(new AccessLogQuery(), default)).Count);
    }

    [Fact]
    public async Task PurgingEverythingThenAppendingKeepsTheChain()
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 3);
        clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(3, await log.PurgeBeforeAsync(clock.GetUtcNow(), "cli:root", default));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await log.PurgeBeforeAsync(clock.GetUtcNow(), "cli:root", default));
        await log.AppendAsync(new AccessLogRecord("system", AccessActions.View, DataSubjects: ["alice@example.org"]), default);

        var verification = await log.VerifyAsync(default);
        var left = await log.ListAsync(new AccessLogQuery(), default);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal([6, 5], left.Select(e => e.Sequence));
        Assert.Contains("purged 1 entry written before", left[1].Detail);
        Assert.Contains("anchor #4 ", left[1].Detail);
        Assert.Equal(1L, Query("SELECT count(*) FROM access_log_subjects;", r => r.GetInt64(0)).Single());
    }

    [Fact]
    public async Task AnOldTimeAfterANewerOneWaitsForIt()
    {
        var log = Open(inMemory: true);
        await AppendAsync(log, 1);
        clock.Advance(TimeSpan.FromDays(2));
        await AppendAsync(log, 1);
        clock.Advance(TimeSpan.FromDays(-1.5)); // the clock was set back
        await AppendAsync(log, 1);
        clock.Advance(TimeSpan.FromDays(3));

        var purged = await log.PurgeBeforeAsync(Start.AddDays(1), "system", default);

        Assert.Equal(1, purged);
        Assert.True((await log.VerifyAsync(default)).Intact);
    }

    [Fact]
    public async Task OneChangedColumnIsReportedAsTheFirstBrokenEntry()
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 5);

        Execute("UPDATE access_log SET actor = 'someone-else@example.org' WHERE sequence = 3;");
        var result = await log.VerifyAsync(default);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal("entry #3: contents do not match its hash", result.Problem);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Theory]
    [InlineData("UPDATE access_log SET at_ms = at_ms + 1 WHERE sequence = 2;")]
    [InlineData("UPDATE access_log SET message_id = NULL WHERE sequence = 2;")]
    [InlineData("UPDATE access_log SET hash = upper(hash) WHERE sequence = 2;")]
    [InlineData("UPDATE access_log_subjects SET subject = 'mallory@example.org' WHERE sequence = 2;")]
    [InlineData("DELETE FROM access_log_subjects WHERE sequence = 2;")]
    public async Task EveryStoredFieldIsCovered(string tamper)
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 3);

        Execute(tamper);
        var result = await log.VerifyAsync(default);

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal("entry #2: contents do not match its hash", result.Problem);
    }

    [Fact]
    public async Task ADeletedMiddleEntryIsReported()
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 5);

        Execute("DELETE FROM access_log WHERE sequence = 3;");
        var result = await log.VerifyAsync(default);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal("entry #3 missing", result.Problem);
        Assert.Equal(4, result.EntriesChecked);
    }

    [Fact]
    public async Task DeletedNewestEntriesAreReportedAndLaterEntriesDoNotHideThem()
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 5);

        Execute("DELETE FROM access_log WHERE sequence >= 4;");
        var result = await log.VerifyAsync(default);
        await log.AppendAsync(new AccessLogRecord("system", AccessActions.View), default);
        var afterAppend = await log.VerifyAsync(default);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal("entry #4 missing (the log's newest entry is #5)", result.Problem);
        Assert.Equal(4, afterAppend.FirstBrokenSequence);
        Assert.Equal("entry #4 missing", afterAppend.Problem);
    }

    [Fact]
    public async Task AnEditedEntryWhoseHashWasRecomputedBreaksTheNextLink()
    {
        var log = Open(inMemory: false);
        var entries = await AppendAsync(log, 3);
        var forged = entries[1] with { Reason = "nothing to see" };

        Execute($"UPDATE access_log SET reason = 'nothing to see', hash = '{AccessLogHasher.Compute(forged)}' WHERE sequence = 2;");
        var result = await log.VerifyAsync(default);

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal("entry #3: previous hash does not match #2", result.Problem);
    }

    [Fact]
    public async Task AMovedAnchorIsReported()
    {
        var log = Open(inMemory: false);
        var entries = await AppendAsync(log, 5, TimeSpan.FromDays(1));
        await log.PurgeBeforeAsync(Start.AddDays(1.5), "system", default);

        // Hide entries #3 and #4 as if they had been purged too.
        Execute($"DELETE FROM access_log WHERE sequence <= 4; UPDATE access_log_anchor SET sequence = 4, hash = '{entries[3].Hash}';");
        var result = await log.VerifyAsync(default);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.StartsWith("entries #3 to #4 missing: the purge anchor was moved on from #2", result.Problem);
    }

    [Fact]
    public async Task APurgeThatWouldEraseABreakIsRefused()
    {
        var log = Open(inMemory: false);
        await AppendAsync(log, 4, TimeSpan.FromDays(1));
        Execute("UPDATE access_log SET reason = 'edited' WHERE sequence = 2;");

        var refused = await Assert.ThrowsAsync<StorageException>(() => log.PurgeBeforeAsync(Start.AddDays(2.5), "system", default));

        Assert.Contains("broken at entry #2", refused.Message);
        Assert.Equal(4, (await log.ListAsync(new AccessLogQuery(), default)).Count);
    }

    public void Dispose()
    {
        DisposeAll();
        folder.Dispose();
    }

    private void DisposeAll()
    {
        foreach (var storage in opened)
        {
            storage.Dispose();
        }

        opened.Clear();
    }

    private IAccessLog Open(bool inMemory)
    {
        var storage = inMemory ? SqliteStorage.OpenInMemory(clock) : SqliteStorage.Open(DatabasePath, clock);
        opened.Add(storage);
        return storage.AccessLog;
    }

    private async Task<List<AccessLogEntry>> AppendAsync(IAccessLog log, int count, TimeSpan? apart = null)
    {
        var entries = new List<AccessLogEntry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(await log.AppendAsync(new AccessLogRecord("admin@example.org", AccessActions.View, $"M{i}", ["alice@example.org"], "support"), default));
            clock.Advance(apart ?? TimeSpan.FromSeconds(1));
        }

        return entries;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Records compare lists by reference; entries are equal when their fields and subjects are.</summary>
    private sealed class EntryComparer : IEqualityComparer<AccessLogEntry>
    {
        public static readonly EntryComparer Instance = new();

        private static readonly string[] NoSubjects = [];

        public bool Equals(AccessLogEntry? x, AccessLogEntry? y) =>
            x is not null && y is not null && x with { DataSubjects = NoSubjects } == y with { DataSubjects = NoSubjects } && x.DataSubjects.SequenceEqual(y.DataSubjects);

        public int GetHashCode(AccessLogEntry obj) => obj.Sequence.GetHashCode();
    }
}
