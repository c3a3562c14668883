using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Moat.Storage.Accounts;

namespace Moat.Storage.Sqlite;

/// <summary>
/// Accounts in the <c>accounts</c> table, sketches in <c>sketches</c>, published spraying blocks
/// in <c>spray_blocks</c>; triggers keep <c>account_changes</c> counting the changes readers care about.
/// </summary>
internal sealed class SqliteAccountStore : IAccountStore
{
    private const string Columns = "name, role, password_hash, locked, created_ms, password_changed_ms, last_login_ms, password_too_popular, sketch_positions";

    private readonly SqliteDatabase database;

    public SqliteAccountStore(SqliteDatabase database) => this.database = database;

    public async ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(connection => Get(connection, null, key, cancellationToken), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken) =>
        await database.RunAsync<IReadOnlyList<Account>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, $"SELECT {Columns} FROM accounts ORDER BY name;");
                var accounts = new List<Account>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    accounts.Add(Read(reader));
                }

                return accounts;
            },
            cancellationToken);

    public async ValueTask<int> CountAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(connection => Count(connection, null, cancellationToken), cancellationToken);

    public async ValueTask<bool> AddAsync(Account account, CancellationToken cancellationToken)
    {
        var normalised = Normalise(account);
        return await database.RunAsync(connection => Add(connection, null, normalised, cancellationToken), cancellationToken);
    }

    public async ValueTask<bool> ReplaceHashAsync(string name, string expectedHash, string newHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedHash);
        ArgumentException.ThrowIfNullOrEmpty(newHash);
        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "UPDATE accounts SET password_hash = $new WHERE name = $name AND password_hash = $expected;");
                command.Parameters.AddWithValue("$name", key);
                command.Parameters.AddWithValue("$expected", expectedHash);
                command.Parameters.AddWithValue("$new", newHash);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    public async ValueTask<bool> SetLockedAsync(string name, bool locked, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "UPDATE accounts SET locked = $locked WHERE name = $name;");
                command.Parameters.AddWithValue("$name", key);
                command.Parameters.AddWithValue("$locked", locked ? 1 : 0);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    public async ValueTask<bool> SetRoleAsync(string name, AccountRole role, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentException($"The role {(int)role} is not a known account role.", nameof(role));
        }

        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "UPDATE accounts SET role = $role WHERE name = $name;");
                command.Parameters.AddWithValue("$name", key);
                command.Parameters.AddWithValue("$role", FormatRole(role));
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    public async ValueTask<bool> RecordLoginAsync(string name, DateTimeOffset at, bool passwordTooPopular, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "UPDATE accounts SET last_login_ms = $at, password_too_popular = $popular WHERE name = $name;");
                command.Parameters.AddWithValue("$name", key);
                command.Parameters.AddWithValue("$at", SqliteValues.ToMilliseconds(at));
                command.Parameters.AddWithValue("$popular", passwordTooPopular ? 1 : 0);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    public async ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var key = AccountNames.ForLookup(name);
        return await database.RunAsync(connection => Remove(connection, null, key, cancellationToken), cancellationToken);
    }

    public async ValueTask<SketchCounters?> LoadSketchAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return await database.RunAsync(connection => LoadSketch(connection, null, name, cancellationToken), cancellationToken);
    }

    public async ValueTask SaveSketchAsync(string name, int depth, int width, uint[] counters, CancellationToken cancellationToken)
    {
        var blob = EncodeSketch(name, depth, width, counters);
        await database.RunAsync(connection => SaveSketch(connection, null, name, depth, width, blob, cancellationToken), cancellationToken);
    }

    public async ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT stamp FROM account_changes WHERE id = 1;");
                return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            },
            cancellationToken);

    public async ValueTask<T> UpdateAsync<T>(Func<IAccountTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await database.RunAsync(
            async connection =>
            {
                // IMMEDIATE takes the write lock before the first read, so the sketch read in
                // here is the one this transaction replaces: no other process can slip a change
                // in between and have it overwritten.
                await using var transaction = connection.BeginTransaction(deferred: false);
                var scope = new SqliteAccountTransaction(connection, transaction);
                try
                {
                    var result = await work(scope, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
                finally
                {
                    scope.Close();
                }
            },
            cancellationToken);
    }

    public async ValueTask ReplaceSprayBlocksAsync(IReadOnlyCollection<SprayBlockRecord> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var block in blocks)
        {
            ArgumentNullException.ThrowIfNull(block, nameof(blocks));
            ArgumentException.ThrowIfNullOrWhiteSpace(block.Network, "block.Network");
            ArgumentNullException.ThrowIfNull(block.Reason, "block.Reason");
        }

        await database.RunAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using (var clear = SqliteValues.Command(connection, "DELETE FROM spray_blocks;", transaction))
                {
                    await clear.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var insert = SqliteValues.Command(
                    connection,
                    """
                    INSERT INTO spray_blocks (network, until_ms, reason, score) VALUES ($network, $until, $reason, $score)
                    ON CONFLICT (network) DO UPDATE SET until_ms = max(until_ms, excluded.until_ms), reason = excluded.reason, score = max(score, excluded.score);
                    """,
                    transaction);
                var network = insert.Parameters.Add("$network", SqliteType.Text);
                var until = insert.Parameters.Add("$until", SqliteType.Integer);
                var reason = insert.Parameters.Add("$reason", SqliteType.Text);
                var score = insert.Parameters.Add("$score", SqliteType.Real);
                foreach (var block in blocks)
                {
                    network.Value = block.Network.Trim();
                    until.Value = SqliteValues.ToMilliseconds(block.Until);
                    reason.Value = block.Reason;
                    score.Value = block.Score;
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return blocks.Count;
            },
            cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SprayBlockRecord>> ListSprayBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.RunAsync<IReadOnlyList<SprayBlockRecord>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT network, until_ms, reason, score FROM spray_blocks WHERE until_ms > $now ORDER BY until_ms DESC, network;");
                command.Parameters.AddWithValue("$now", SqliteValues.ToMilliseconds(now));
                var blocks = new List<SprayBlockRecord>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    blocks.Add(new SprayBlockRecord(reader.GetString(0), SqliteValues.FromMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetDouble(3)));
                }

                return blocks;
            },
            cancellationToken);

    internal static async Task<Account?> Get(SqliteConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, $"SELECT {Columns} FROM accounts WHERE name = $name;", transaction);
        command.Parameters.AddWithValue("$name", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    internal static async Task<int> Count(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "SELECT count(*) FROM accounts;", transaction);
        return Convert.ToInt32((long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    internal static async Task<bool> Add(SqliteConnection connection, SqliteTransaction? transaction, Account account, CancellationToken cancellationToken)
    {
        // DO NOTHING rather than catching the constraint error: inside a caller's transaction a
        // failed statement must not be what decides whether the rest commits.
        await using var command = SqliteValues.Command(
            connection,
            $"""
            INSERT INTO accounts ({Columns})
            VALUES ($name, $role, $hash, $locked, $created, $changed, $login, $popular, $positions)
            ON CONFLICT (name) DO NOTHING;
            """,
            transaction);
        command.Parameters.AddWithValue("$name", account.Name);
        command.Parameters.AddWithValue("$role", FormatRole(account.Role));
        command.Parameters.AddWithValue("$hash", account.PasswordHash);
        command.Parameters.AddWithValue("$locked", account.Locked ? 1 : 0);
        command.Parameters.AddWithValue("$created", SqliteValues.ToMilliseconds(account.Created));
        command.Parameters.AddWithValue("$changed", SqliteValues.ToMilliseconds(account.PasswordChanged));
        command.Parameters.AddWithValue("$login", SqliteValues.ToMilliseconds(account.LastLogin));
        command.Parameters.AddWithValue("$popular", account.PasswordTooPopular ? 1 : 0);
        command.Parameters.AddWithValue("$positions", FormatPositions(account.SketchPositions));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static async Task<bool> SetPassword(
        SqliteConnection connection, SqliteTransaction? transaction, string key, string passwordHash, IReadOnlyList<int> positions, DateTimeOffset changed, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        ArgumentNullException.ThrowIfNull(positions);
        await using var command = SqliteValues.Command(
            connection,
            "UPDATE accounts SET password_hash = $hash, sketch_positions = $positions, password_changed_ms = $changed, password_too_popular = 0 WHERE name = $name;",
            transaction);
        command.Parameters.AddWithValue("$name", key);
        command.Parameters.AddWithValue("$hash", passwordHash);
        command.Parameters.AddWithValue("$positions", FormatPositions(positions));
        command.Parameters.AddWithValue("$changed", SqliteValues.ToMilliseconds(changed));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static async Task<bool> Remove(SqliteConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "DELETE FROM accounts WHERE name = $name;", transaction);
        command.Parameters.AddWithValue("$name", key);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static async Task<SketchCounters?> LoadSketch(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "SELECT depth, width, counters FROM sketches WHERE name = $name;", transaction);
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var depth = reader.GetInt32(0);
        var width = reader.GetInt32(1);
        var blob = (byte[])reader.GetValue(2);
        if (depth < 1 || width < 1 || (long)depth * width * sizeof(uint) != blob.Length)
        {
            throw new StorageException($"The popularity sketch '{name}' in the database is damaged ({depth} × {width} counters but {blob.Length} bytes); remove its row from the sketches table to start a new one.");
        }

        var counters = new uint[depth * width];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(i * sizeof(uint)));
        }

        return new SketchCounters(depth, width, counters);
    }

    internal static async Task<int> SaveSketch(SqliteConnection connection, SqliteTransaction? transaction, string name, int depth, int width, byte[] blob, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(
            connection,
            """
            INSERT INTO sketches (name, depth, width, counters, saved_ms) VALUES ($name, $depth, $width, $counters, $saved)
            ON CONFLICT (name) DO UPDATE SET depth = excluded.depth, width = excluded.width, counters = excluded.counters, saved_ms = excluded.saved_ms;
            """,
            transaction);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$depth", depth);
        command.Parameters.AddWithValue("$width", width);
        command.Parameters.AddWithValue("$counters", blob);
        command.Parameters.AddWithValue("$saved", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static byte[] EncodeSketch(string name, int depth, int width, uint[] counters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentNullException.ThrowIfNull(counters);
        if ((long)depth * width != counters.Length)
        {
            throw new ArgumentException($"A {depth} × {width} sketch has {(long)depth * width} counters, not {counters.Length}.", nameof(counters));
        }

        var blob = new byte[counters.Length * sizeof(uint)];
        for (var i = 0; i < counters.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(i * sizeof(uint)), counters[i]);
        }

        return blob;
    }

    internal static Account Normalise(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(account.PasswordHash, "account.PasswordHash");
        ArgumentNullException.ThrowIfNull(account.SketchPositions, "account.SketchPositions");
        if (!Enum.IsDefined(account.Role))
        {
            throw new ArgumentException($"The role {(int)account.Role} is not a known account role.", nameof(account));
        }

        if (account.SketchPositions.Any(p => p < 0))
        {
            throw new ArgumentException("Sketch positions are counter indexes and cannot be negative.", nameof(account));
        }

        return account with { Name = AccountNames.Normalise(account.Name, "account.Name") };
    }

    private static Account Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        ParseRole(reader.GetString(1)),
        reader.GetString(2),
        reader.GetInt64(3) != 0,
        SqliteValues.FromMilliseconds(reader.GetInt64(4)),
        SqliteValues.FromMilliseconds(reader.GetInt64(5)),
        SqliteValues.FromNullableMilliseconds(reader, 6),
        reader.GetInt64(7) != 0,
        ParsePositions(reader.GetString(8)));

    private static string FormatRole(AccountRole role) => role.ToString().ToLowerInvariant();

    private static AccountRole ParseRole(string text) =>
        Enum.TryParse<AccountRole>(text, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new StorageException($"An account has the unknown role '{text}'; was it written by a newer Moat?");

    private static string FormatPositions(IReadOnlyList<int> positions) =>
        string.Join(',', positions.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private static int[] ParsePositions(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))];
}
