using Microsoft.Data.Sqlite;
using Moat.Storage.Trust;

namespace Moat.Storage.Sqlite;

/// <summary>Challenges in the <c>challenges</c> table; confirmation is one conditional UPDATE, so an answer counts once even across processes.</summary>
internal sealed class SqliteChallengeStore : IChallengeStore
{
    private const string Columns = "id, sender, recipient, sent_ms, confirmed_ms";

    private readonly SqliteDatabase database;

    public SqliteChallengeStore(SqliteDatabase database) => this.database = database;

    public async ValueTask AddAsync(ChallengeRecord challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentException.ThrowIfNullOrWhiteSpace(challenge.Id, "challenge.Id");
        ArgumentException.ThrowIfNullOrWhiteSpace(challenge.Sender, "challenge.Sender");
        ArgumentException.ThrowIfNullOrWhiteSpace(challenge.Recipient, "challenge.Recipient");
        try
        {
            await database.RunAsync(
                async connection =>
                {
                    await using var command = SqliteValues.Command(
                        connection,
                        $"INSERT INTO challenges ({Columns}) VALUES ($id, $sender, $recipient, $sent, $confirmed);");
                    command.Parameters.AddWithValue("$id", challenge.Id);
                    command.Parameters.AddWithValue("$sender", NormaliseAddress(challenge.Sender));
                    command.Parameters.AddWithValue("$recipient", NormaliseAddress(challenge.Recipient));
                    command.Parameters.AddWithValue("$sent", SqliteValues.ToMilliseconds(challenge.Sent));
                    command.Parameters.AddWithValue("$confirmed", SqliteValues.ToMilliseconds(challenge.Confirmed));
                    return await command.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            throw new InvalidOperationException($"A challenge with the id '{challenge.Id}' already exists; ids must be unique.", ex);
        }
    }

    public async ValueTask<ChallengeRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, $"SELECT {Columns} FROM challenges WHERE id = $id;");
                command.Parameters.AddWithValue("$id", id);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            },
            cancellationToken);
    }

    public async ValueTask<int> CountSentSinceAsync(string sender, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT count(*) FROM challenges WHERE sender = $sender AND sent_ms >= $since;");
                command.Parameters.AddWithValue("$sender", NormaliseAddress(sender));
                command.Parameters.AddWithValue("$since", SqliteValues.ToMilliseconds(since));
                return Convert.ToInt32((long)(await command.ExecuteScalarAsync(cancellationToken))!);
            },
            cancellationToken);
    }

    public async ValueTask<bool> ConfirmAsync(string id, DateTimeOffset confirmed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var changed = await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "UPDATE challenges SET confirmed_ms = $confirmed WHERE id = $id AND confirmed_ms IS NULL;");
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$confirmed", SqliteValues.ToMilliseconds(confirmed));
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
        return changed == 1;
    }

    public async ValueTask<IReadOnlyList<ChallengeRecord>> ListPendingAsync(CancellationToken cancellationToken) =>
        await database.RunAsync<IReadOnlyList<ChallengeRecord>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, $"SELECT {Columns} FROM challenges WHERE confirmed_ms IS NULL ORDER BY sent_ms DESC, id;");
                var pending = new List<ChallengeRecord>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    pending.Add(Read(reader));
                }

                return pending;
            },
            cancellationToken);

    public async ValueTask<int> RemoveOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "DELETE FROM challenges WHERE sent_ms < $before;");
                command.Parameters.AddWithValue("$before", SqliteValues.ToMilliseconds(before));
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    private static ChallengeRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        SqliteValues.FromMilliseconds(reader.GetInt64(3)),
        SqliteValues.FromNullableMilliseconds(reader, 4));

    // Addresses are compared as stored, so one spelling: trimmed and lower case (the contract's "lower case").
    private static string NormaliseAddress(string address) => address.Trim().ToLowerInvariant();
}
