using Microsoft.Data.Sqlite;
using Moat.Storage.AccessLog;
using Moat.Storage.Accounts;
using Moat.Storage.Trust;

namespace Moat.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file that the gateway and the CLI use at the same time (WAL
/// journal, waiting on each other's writes rather than failing). Open it once per process and
/// share it; every operation takes a pooled connection of its own, so it is thread-safe.
/// </summary>
public sealed class SqliteStorage : IDisposable
{
    /// <summary>The file's name in the data folder: <c>Path.Combine(options.DataDirectory, DefaultFileName)</c>.</summary>
    public const string DefaultFileName = "moat.db";

    private readonly SqliteDatabase database;

    private SqliteStorage(SqliteDatabase database, TimeProvider clock)
    {
        this.database = database;
        Trust = new SqliteTrustStore(database);
        Familiarity = new SqliteFamiliarityStore(database);
        Challenges = new SqliteChallengeStore(database);
        Accounts = new SqliteAccountStore(database);
        AccessLog = new SqliteAccessLog(database, clock);
        Tokens = new SqliteTokenStore(database);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => database.Path;

    public ITrustStore Trust { get; }

    public IFamiliarityStore Familiarity { get; }

    public IChallengeStore Challenges { get; }

    public IAccountStore Accounts { get; }

    public IAccessLog AccessLog { get; }

    public ITokenStore Tokens { get; }

    /// <summary>
    /// Opens the database, creating its folder and file when missing and bringing the schema up
    /// to date.
    /// </summary>
    /// <exception cref="StorageException">The file is not a database, is damaged, cannot be written, or has a newer schema.</exception>
    public static SqliteStorage Open(string databasePath) => Open(databasePath, TimeProvider.System);

    /// <inheritdoc cref="Open(string)"/>
    /// <param name="clock">Gives the times of access-log entries (the other stores are given times by their callers).</param>
    public static SqliteStorage Open(string databasePath, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var path = Path.GetFullPath(databasePath);
        if (Directory.Exists(path))
        {
            throw new StorageException($"The database path {path} is a folder; give the path of a file (e.g. {Path.Combine(path, DefaultFileName)}).");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            CreateOwnerOnly(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot create the database file {path}: {ex.Message}", ex);
        }

        return Prepare(new SqliteDatabase(path), clock);
    }

    /// <summary>
    /// The database holds password hashes, so only its owner may read it; SQLite gives its
    /// journal files the database file's permissions.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
    }

    /// <summary>
    /// A store that lives in memory only, empty at first and gone on <see cref="Dispose"/>: for
    /// commands that build the gateway's components without touching the data folder.
    /// </summary>
    public static SqliteStorage OpenInMemory() => OpenInMemory(TimeProvider.System);

    /// <inheritdoc cref="OpenInMemory()"/>
    public static SqliteStorage OpenInMemory(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Prepare(SqliteDatabase.InMemory(), clock);
    }

    /// <summary>Closes the idle pooled connections of this file (and drops an in-memory store).</summary>
    public void Dispose() => database.ReleaseConnections();

    private static SqliteStorage Prepare(SqliteDatabase database, TimeProvider clock)
    {
        try
        {
            using var connection = database.Open();
            SqliteMigrations.Apply(connection, database.Path);
        }
        catch (SqliteException ex) when (database.Translate(ex) is { } translated)
        {
            throw translated;
        }

        return new SqliteStorage(database, clock);
    }
}
