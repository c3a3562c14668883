using Microsoft.Data.Sqlite;
using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Testing;

namespace Moat.Storage.Tests.Sqlite;

/// <summary>Opening the file: creation, journal mode, schema versions, bad files and sharing between processes.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new("moat-storage");

    [Fact]
    public void OpenCreatesTheFolderTheFileAndTheSchemaInWalMode()
    {
        var path = folder.Combine("a", "b", SqliteStorage.DefaultFileName);

        using var storage = SqliteStorage.Open(path);

        Assert.True(File.Exists(path));
        Assert.Equal(path, storage.DatabasePath);
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteMigrations.LatestVersion, Scalar(path, "SELECT max(version) FROM schema_version;"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void OnlyTheOwnerMayReadTheDatabaseBecauseItHoldsPasswordHashes()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);

        using var storage = SqliteStorage.Open(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.All(Directory.GetFiles(folder.Path, SqliteStorage.DefaultFileName + "-*"), journal =>
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(journal) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)));
    }

    [Fact]
    public void OpeningAgainKeepsTheSchemaVersionAndAppliesNothingTwice()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);
        SqliteStorage.Open(path).Dispose();
        SqliteStorage.Open(path).Dispose();

        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(path, "SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task ConnectionsWaitForOtherWritersAndEnforceForeignKeys()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);
        using var storage = SqliteStorage.Open(path);
        var database = new SqliteDatabase(path);

        var (busy, foreignKeys) = await database.RunAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout;";
                var timeout = (long)(await command.ExecuteScalarAsync())!;
                command.CommandText = "PRAGMA foreign_keys;";
                return (timeout, (long)(await command.ExecuteScalarAsync())!);
            },
            default);

        Assert.Equal((long)SqliteDatabase.BusyTimeout.TotalMilliseconds, busy);
        Assert.Equal(1L, foreignKeys);
    }

    [Fact]
    public void AFileThatIsNotADatabaseGivesAMessageNamingIt()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);
        File.WriteAllText(path, "This is a text file, not SQLite. " + new string('x', 4096));

        var ex = Assert.Throws<StorageException>(() => SqliteStorage.Open(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("not a SQLite database or is damaged", ex.Message);
        Assert.Contains("Move it aside", ex.Message);
    }

    [Fact]
    public void AFolderInsteadOfAFileIsReported()
    {
        var ex = Assert.Throws<StorageException>(() => SqliteStorage.Open(folder.Path));

        Assert.Contains("is a folder", ex.Message);
    }

    [Fact]
    public void ADatabaseFromANewerMoatIsRefused()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);
        SqliteStorage.Open(path).Dispose();
        Execute(path, $"INSERT INTO schema_version (version, description, applied_ms) VALUES ({SqliteMigrations.LatestVersion + 1}, 'future', 0);");

        var ex = Assert.Throws<StorageException>(() => SqliteStorage.Open(path));

        Assert.Contains("newer Moat", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task TwoInstancesWritingAtOnceDoNotFailWithDatabaseIsLocked()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);
        using var gateway = SqliteStorage.Open(path);
        using var cli = SqliteStorage.Open(path);

        async Task Write(SqliteStorage storage, string name)
        {
            for (var i = 0; i < 100; i++)
            {
                await storage.Trust.AddAsync(new TrustEntry("*", $"{name}{i}.example", TrustSource.Manual, Now), default);
                await storage.Familiarity.RecordGoodMailAsync([(FamiliarityKind.SenderDomain, "shared.example")], Now, default);
                if (i % 10 == 0)
                {
                    await storage.Trust.AddRangeAsync(
                        Enumerable.Range(0, 50).Select(j => new TrustEntry("alice@example.org", $"{name}{i}-{j}@example.com", TrustSource.Contact, Now)).ToList(),
                        default);
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => Write(gateway, "g")),
            Task.Run(() => Write(cli, "c")),
            Task.Run(() => Write(gateway, "h")),
            Task.Run(() => Write(cli, "d")));

        Assert.Equal(400, (await gateway.Trust.ListAsync("*", default)).Count);
        Assert.Equal(2000, (await cli.Trust.ListAsync("alice@example.org", default)).Count);
        Assert.Equal(400L, await cli.Familiarity.GetCountAsync(FamiliarityKind.SenderDomain, "shared.example", default));
    }

    [Fact]
    public async Task StartingTwoInstancesOnANewFileAtOnceCreatesTheSchemaOnce()
    {
        var path = folder.Combine(SqliteStorage.DefaultFileName);

        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteStorage.Open(path))));
        foreach (var storage in opened)
        {
            storage.Dispose();
        }

        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(path, "SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task AnInMemoryStoreKeepsItsDataUntilDisposedAndSharesItWithNoOne()
    {
        using var first = SqliteStorage.OpenInMemory();
        using var second = SqliteStorage.OpenInMemory();

        await first.Trust.AddAsync(new TrustEntry("*", "example.com", TrustSource.Manual, Now), default);
        await first.Challenges.AddAsync(new ChallengeRecord("c1", "bob@example.com", "alice@example.org", Now), default);

        Assert.Single(await first.Trust.ListAsync(null, default));
        Assert.NotNull(await first.Challenges.FindAsync("c1", default));
        Assert.Empty(await second.Trust.ListAsync(null, default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    public void Dispose() => folder.Dispose();

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
