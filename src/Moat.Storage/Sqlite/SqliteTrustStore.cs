using Microsoft.Data.Sqlite;
using Moat.Storage.Trust;

namespace Moat.Storage.Sqlite;

/// <summary>The allow-lists in the <c>trust_entries</c> table; triggers keep <c>trust_changes</c> counting every change.</summary>
internal sealed class SqliteTrustStore : ITrustStore
{
    private const string Upsert = """
        INSERT INTO trust_entries (owner, pattern, source, added_ms, expires_ms)
        VALUES ($owner, $pattern, $source, $added, $expires)
        ON CONFLICT (owner, pattern) DO UPDATE SET
            source = excluded.source, added_ms = excluded.added_ms, expires_ms = excluded.expires_ms;
        """;

    private readonly SqliteDatabase database;

    public SqliteTrustStore(SqliteDatabase database) => this.database = database;

    public async ValueTask AddAsync(TrustEntry entry, CancellationToken cancellationToken)
    {
        var normalised = Normalise(entry);
        await database.RunAsync(
            async connection =>
            {
                await using var command = CreateUpsert(connection, null);
                Bind(command, normalised);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public async ValueTask AddRangeAsync(IReadOnlyCollection<TrustEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // Validate everything first: one bad entry must not leave half an import behind.
        var normalised = entries.Select(Normalise).ToList();
        if (normalised.Count == 0)
        {
            return;
        }

        await database.RunAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using var command = CreateUpsert(connection, transaction);
                foreach (var entry in normalised)
                {
                    Bind(command, entry);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return normalised.Count;
            },
            cancellationToken);
    }

    public async ValueTask<bool> RemoveAsync(string owner, string pattern, CancellationToken cancellationToken)
    {
        var normalisedOwner = TrustNames.NormaliseOwner(owner);
        var normalisedPattern = TrustNames.NormalisePattern(pattern);
        var removed = await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "DELETE FROM trust_entries WHERE owner = $owner AND pattern = $pattern;");
                command.Parameters.AddWithValue("$owner", normalisedOwner);
                command.Parameters.AddWithValue("$pattern", normalisedPattern);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
        return removed > 0;
    }

    public async ValueTask<IReadOnlyList<TrustEntry>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        var normalisedOwner = owner is null ? null : TrustNames.NormaliseOwner(owner);
        return await database.RunAsync<IReadOnlyList<TrustEntry>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(
                    connection,
                    normalisedOwner is null
                        ? "SELECT owner, pattern, source, added_ms, expires_ms FROM trust_entries ORDER BY owner, pattern;"
                        : "SELECT owner, pattern, source, added_ms, expires_ms FROM trust_entries WHERE owner = $owner ORDER BY pattern;");
                if (normalisedOwner is not null)
                {
                    command.Parameters.AddWithValue("$owner", normalisedOwner);
                }

                var entries = new List<TrustEntry>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new TrustEntry(
                        reader.GetString(0),
                        reader.GetString(1),
                        ParseSource(reader.GetString(2)),
                        SqliteValues.FromMilliseconds(reader.GetInt64(3)),
                        SqliteValues.FromNullableMilliseconds(reader, 4)));
                }

                return entries;
            },
            cancellationToken);
    }

    public async ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT stamp FROM trust_changes WHERE id = 1;");
                return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            },
            cancellationToken);

    public async ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "DELETE FROM trust_entries WHERE expires_ms IS NOT NULL AND expires_ms <= $now;");
                command.Parameters.AddWithValue("$now", SqliteValues.ToMilliseconds(now));
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    private static TrustEntry Normalise(TrustEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Enum.IsDefined(entry.Source))
        {
            throw new ArgumentException($"The source {(int)entry.Source} is not a known trust source.", nameof(entry));
        }

        return entry with
        {
            Owner = TrustNames.NormaliseOwner(entry.Owner, "entry.Owner"),
            Pattern = TrustNames.NormalisePattern(entry.Pattern, "entry.Pattern"),
        };
    }

    private static SqliteCommand CreateUpsert(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var command = SqliteValues.Command(connection, Upsert, transaction);
        command.Parameters.Add("$owner", SqliteType.Text);
        command.Parameters.Add("$pattern", SqliteType.Text);
        command.Parameters.Add("$source", SqliteType.Text);
        command.Parameters.Add("$added", SqliteType.Integer);
        command.Parameters.Add("$expires", SqliteType.Integer);
        return command;
    }

    private static void Bind(SqliteCommand command, TrustEntry entry)
    {
        command.Parameters["$owner"].Value = entry.Owner;
        command.Parameters["$pattern"].Value = entry.Pattern;
        command.Parameters["$source"].Value = FormatSource(entry.Source);
        command.Parameters["$added"].Value = SqliteValues.ToMilliseconds(entry.Added);
        command.Parameters["$expires"].Value = SqliteValues.ToMilliseconds(entry.Expires);
    }

    private static string FormatSource(TrustSource source) => source.ToString().ToLowerInvariant();

    private static TrustSource ParseSource(string text) =>
        Enum.TryParse<TrustSource>(text, ignoreCase: true, out var source) && Enum.IsDefined(source)
            ? source
            : throw new StorageException($"The trust list holds an entry with the unknown source '{text}'; was it written by a newer Moat?");
}
