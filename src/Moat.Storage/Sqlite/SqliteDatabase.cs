using Microsoft.Data.Sqlite;

namespace Moat.Storage.Sqlite;

/// <summary>
/// One database file: hands out pooled connections prepared for sharing the file with other
/// processes, and turns SQLite's error codes into messages an administrator can act on.
/// </summary>
internal sealed class SqliteDatabase
{
    /// <summary>How long a writer waits for another process's write to finish before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    // busy_timeout and synchronous are per connection; pooled connections keep them, but a new
    // one does not, so every open sets them (it costs microseconds). NORMAL is durable in WAL
    // mode except for the last commits before a power cut, which for counters and lists is fine.
    private static readonly string ConnectionSetup =
        $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    private readonly string connectionString;

    // An in-memory database lives as long as one connection to it is open; this is that one.
    private SqliteConnection? keepAlive;

    public SqliteDatabase(string path)
        : this(path, new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds + 5,
        }.ToString())
    {
    }

    private SqliteDatabase(string path, string connectionString)
    {
        Path = path;
        this.connectionString = connectionString;
    }

    /// <summary>A private database in memory, gone when <see cref="ReleaseConnections"/> is called.</summary>
    public static SqliteDatabase InMemory()
    {
        var database = new SqliteDatabase(
            "(in memory)",
            new SqliteConnectionStringBuilder
            {
                DataSource = "moat-" + Guid.NewGuid().ToString("N"),
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
                DefaultTimeout = (int)BusyTimeout.TotalSeconds + 5,
            }.ToString());
        database.keepAlive = database.Open();
        return database;
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionSetup;
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex) ?? new StorageException($"Cannot open the database {Path}: {ex.Message}", ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own, with errors translated.</summary>
    public async ValueTask<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = Open();
        try
        {
            return await work(connection);
        }
        catch (SqliteException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Lets idle pooled connections go, so the file is no longer held open.</summary>
    public void ReleaseConnections()
    {
        keepAlive?.Dispose();
        keepAlive = null;
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>The error codes that mean "this store cannot be used", with what to do about each.</summary>
    public StorageException? Translate(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT => new StorageException(
            $"The database file {Path} is not a SQLite database or is damaged ({ex.Message.TrimEnd('.')}). "
            + "Move it aside to start with an empty one (Moat creates it), or restore it from a backup.", ex),
        SQLitePCL.raw.SQLITE_CANTOPEN => new StorageException(
            $"Cannot open the database file {Path}: check that the folder exists and that this user may read and write it and the files beside it (-wal, -shm).", ex),
        SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_AUTH => new StorageException(
            $"The database file {Path} cannot be written by this user: run as the user Moat runs as, or fix the permissions of the file and its folder.", ex),
        SQLitePCL.raw.SQLITE_FULL => new StorageException($"The disk holding {Path} is full.", ex),
        SQLitePCL.raw.SQLITE_IOERR => new StorageException($"Reading or writing {Path} failed ({ex.Message.TrimEnd('.')}); check the disk.", ex),
        SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED => new StorageException(
            $"The database file {Path} stayed locked by another process for more than {BusyTimeout.TotalSeconds:0} s; try again.", ex),
        _ => null,
    };
}
