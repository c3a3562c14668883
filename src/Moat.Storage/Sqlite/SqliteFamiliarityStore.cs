using Moat.Storage.Trust;

namespace Moat.Storage.Sqlite;

/// <summary>Good-mail counters in the <c>familiarity</c> table, incremented in the database so concurrent writers never lose a count.</summary>
internal sealed class SqliteFamiliarityStore : IFamiliarityStore
{
    private readonly SqliteDatabase database;

    public SqliteFamiliarityStore(SqliteDatabase database) => this.database = database;

    public async ValueTask RecordGoodMailAsync(IReadOnlyCollection<(FamiliarityKind Kind, string Key)> counters, DateTimeOffset seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var normalised = counters.Select(c => (Kind: FormatKind(c.Kind), Key: NormaliseKey(c.Kind, c.Key))).ToList();
        if (normalised.Count == 0)
        {
            return;
        }

        await database.RunAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using var command = SqliteValues.Command(
                    connection,
                    """
                    INSERT INTO familiarity (kind, key, count, first_seen_ms, last_seen_ms) VALUES ($kind, $key, 1, $seen, $seen)
                    ON CONFLICT (kind, key) DO UPDATE SET
                        count = count + 1,
                        first_seen_ms = min(first_seen_ms, excluded.first_seen_ms),
                        last_seen_ms = max(last_seen_ms, excluded.last_seen_ms);
                    """,
                    transaction);
                var kind = command.Parameters.Add("$kind", Microsoft.Data.Sqlite.SqliteType.Text);
                var key = command.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
                command.Parameters.AddWithValue("$seen", SqliteValues.ToMilliseconds(seen));
                foreach (var counter in normalised)
                {
                    kind.Value = counter.Kind;
                    key.Value = counter.Key;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return normalised.Count;
            },
            cancellationToken);
    }

    public async ValueTask<long> GetCountAsync(FamiliarityKind kind, string key, CancellationToken cancellationToken)
    {
        var kindText = FormatKind(kind);
        var normalisedKey = NormaliseKey(kind, key);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT count FROM familiarity WHERE kind = $kind AND key = $key;");
                command.Parameters.AddWithValue("$kind", kindText);
                command.Parameters.AddWithValue("$key", normalisedKey);
                return await command.ExecuteScalarAsync(cancellationToken) is long count ? count : 0L;
            },
            cancellationToken);
    }

    private static string FormatKind(FamiliarityKind kind) => kind switch
    {
        FamiliarityKind.SenderAddress => "sender",
        FamiliarityKind.SenderDomain => "domain",
        FamiliarityKind.ClientAddress => "client",
        FamiliarityKind.ListPoster => "list-poster",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a familiarity kind."),
    };

    private static string NormaliseKey(FamiliarityKind kind, string key)
    {
        var trimmed = key?.Trim() ?? string.Empty;
        if (kind != FamiliarityKind.ClientAddress && trimmed.EndsWith('.'))
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.Length == 0
            ? throw new ArgumentException($"The {kind} key is empty.", nameof(key))
            : trimmed.ToLowerInvariant();
    }
}
