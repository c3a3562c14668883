using System.Text.Json;
using Microsoft.Data.Sqlite;
using Moat.Storage.AccessLog;

namespace Moat.Storage.Sqlite;

/// <summary>
/// The access log in <c>access_log</c> (one row per entry, the sequence as row id), its data
/// subjects in <c>access_log_subjects</c> (so a user's entries are an index lookup),
/// <c>access_log_head</c> (the newest entry, so deleting the newest entries is noticed) and
/// <c>access_log_anchor</c> (the last purged entry, where the remaining chain starts).
/// </summary>
internal sealed class SqliteAccessLog : IAccessLog
{
    /// <summary>The longest text a field may have: enough for a reason or a path, too little for a message.</summary>
    public const int MaxFieldLength = 4096;

    private const string EntryColumns = """
        l.sequence, l.at_ms, l.actor, l.action, l.message_id, l.reason, l.detail, l.previous_hash, l.hash,
        (SELECT json_group_array(s.subject) FROM access_log_subjects s WHERE s.sequence = l.sequence)
        """;

    private readonly SqliteDatabase database;
    private readonly TimeProvider clock;

    public SqliteAccessLog(SqliteDatabase database, TimeProvider clock)
    {
        this.database = database;
        this.clock = clock;
    }

    public async Task<AccessLogEntry> AppendAsync(AccessLogRecord record, CancellationToken cancellationToken)
    {
        var normalised = Normalise(record);
        if (normalised.Action == AccessActions.Purge)
        {
            throw new ArgumentException("Purge entries are written by PurgeBeforeAsync, which also keeps the anchor they name.", nameof(record));
        }

        return await database.RunAsync(
            async connection =>
            {
                // IMMEDIATE: the head read here is still the head when the entry after it is
                // inserted, whichever process (gateway, CLI) appends at the same moment.
                await using var transaction = connection.BeginTransaction(deferred: false);
                var entry = await Append(connection, transaction, normalised, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return entry;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<AccessLogEntry>> ListAsync(AccessLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, "query.Limit");
        var subject = NormaliseSubject(query.DataSubject);
        var actor = Blank(query.Actor) ? null : query.Actor!.Trim();
        var messageId = Blank(query.MessageId) ? null : query.MessageId!.Trim();

        // By subject the rows come from the subjects table's (subject, sequence) key, already in
        // sequence order; otherwise from the log itself, newest first by row id.
        var key = subject is null ? "l.sequence" : "f.sequence";
        var conditions = new List<string>();
        if (subject is not null)
        {
            conditions.Add("f.subject = $subject");
        }

        if (actor is not null)
        {
            conditions.Add("l.actor = $actor");
        }

        if (messageId is not null)
        {
            conditions.Add("l.message_id = $message");
        }

        if (query.BeforeSequence is not null)
        {
            conditions.Add($"{key} < $before");
        }

        var sql = $"""
            SELECT {EntryColumns}
            FROM {(subject is null ? "access_log l" : "access_log_subjects f JOIN access_log l ON l.sequence = f.sequence")}
            {(conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions))}
            ORDER BY {key} DESC
            LIMIT $limit;
            """;
        return await database.RunAsync<IReadOnlyList<AccessLogEntry>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, sql);
                command.Parameters.AddWithValue("$subject", (object?)subject ?? DBNull.Value);
                command.Parameters.AddWithValue("$actor", (object?)actor ?? DBNull.Value);
                command.Parameters.AddWithValue("$message", (object?)messageId ?? DBNull.Value);
                command.Parameters.AddWithValue("$before", (object?)query.BeforeSequence ?? DBNull.Value);
                command.Parameters.AddWithValue("$limit", query.Limit);
                var entries = new List<AccessLogEntry>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(Read(reader));
                }

                return entries;
            },
            cancellationToken);
    }

    public async Task<AccessLogVerification> VerifyAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                // One read transaction: anchor, head and entries from the same snapshot, while
                // other processes go on appending.
                await using var transaction = connection.BeginTransaction(deferred: true);
                var (anchorSequence, anchorHash) = await ReadAnchor(connection, transaction, cancellationToken);
                var head = await ReadRecordedHead(connection, transaction, cancellationToken);
                var verifier = new AccessLogChainVerifier(anchorSequence, anchorHash);
                await using var command = SqliteValues.Command(connection, $"SELECT {EntryColumns} FROM access_log l ORDER BY l.sequence;", transaction);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    verifier.Add(Read(reader));
                }

                return verifier.Finish(head?.Sequence, head?.Hash);
            },
            cancellationToken);

    public async Task<int> PurgeBeforeAsync(DateTimeOffset before, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var purgedBy = Normalise(new AccessLogRecord(actor, AccessActions.Purge)).Actor;
        return await database.RunAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                var (anchorSequence, anchorHash) = await ReadAnchor(connection, transaction, cancellationToken);

                // Only the oldest run of entries written before the cutoff: the chain must stay
                // whole from the anchor on, even if a clock went back and an old time follows a newer one.
                long? upTo;
                await using (var last = SqliteValues.Command(
                    connection,
                    """
                    SELECT coalesce(
                        (SELECT min(sequence) FROM access_log WHERE at_ms >= $before) - 1,
                        (SELECT max(sequence) FROM access_log));
                    """,
                    transaction))
                {
                    last.Parameters.AddWithValue("$before", SqliteValues.ToMilliseconds(before));
                    upTo = await last.ExecuteScalarAsync(cancellationToken) as long?;
                }

                if (upTo is not { } purgeTo || purgeTo <= anchorSequence)
                {
                    return 0;
                }

                // Deleting a broken part would erase the evidence; the administrator must see it first.
                var verifier = new AccessLogChainVerifier(anchorSequence, anchorHash);
                await using (var part = SqliteValues.Command(connection, $"SELECT {EntryColumns} FROM access_log l WHERE l.sequence <= $upTo ORDER BY l.sequence;", transaction))
                {
                    part.Parameters.AddWithValue("$upTo", purgeTo);
                    await using var reader = await part.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        verifier.Add(Read(reader));
                    }
                }

                var brokenAt = verifier.FirstBrokenSequence;
                var problem = verifier.Problem;
                if (problem is null && verifier.LastSequence != purgeTo)
                {
                    brokenAt = verifier.LastSequence + 1;
                    problem = $"entry #{brokenAt} missing";
                }

                if (problem is not null)
                {
                    throw new StorageException(
                        $"The access log in {database.Path} is broken at entry #{brokenAt} ({problem}); not purging it, which would erase the evidence. "
                        + "`moat audit-log verify` shows the break; restore the database from a backup.");
                }

                var anchorHashNow = verifier.LastHash;
                int count;
                await using (var delete = SqliteValues.Command(connection, "DELETE FROM access_log WHERE sequence <= $upTo;", transaction))
                {
                    delete.Parameters.AddWithValue("$upTo", purgeTo);
                    count = await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var anchor = SqliteValues.Command(
                    connection,
                    """
                    INSERT INTO access_log_anchor (id, sequence, hash, purged_ms) VALUES (1, $sequence, $hash, $purged)
                    ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, purged_ms = excluded.purged_ms;
                    """,
                    transaction))
                {
                    anchor.Parameters.AddWithValue("$sequence", purgeTo);
                    anchor.Parameters.AddWithValue("$hash", anchorHashNow);
                    anchor.Parameters.AddWithValue("$purged", SqliteValues.ToMilliseconds(clock.GetUtcNow()));
                    await anchor.ExecuteNonQueryAsync(cancellationToken);
                }

                var record = new AccessLogRecord(purgedBy, AccessActions.Purge, DataSubjects: [], Detail: AccessLogPurgeDetail.Format(count, before, purgeTo, anchorHashNow));
                await Append(connection, transaction, record, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return count;
            },
            cancellationToken);
    }

    private async Task<AccessLogEntry> Append(SqliteConnection connection, SqliteTransaction transaction, AccessLogRecord record, CancellationToken cancellationToken)
    {
        var (headSequence, headHash) = await ReadHeadForAppend(connection, transaction, cancellationToken);

        // Milliseconds, as stored: the hash must be computable again from what is read back.
        var at = SqliteValues.FromMilliseconds(SqliteValues.ToMilliseconds(clock.GetUtcNow()));
        var subjects = record.DataSubjects ?? [];
        var sequence = headSequence + 1;
        var hash = AccessLogHasher.Compute(sequence, at, record.Actor, record.Action, record.MessageId, subjects, record.Reason, record.Detail, headHash);

        await using (var insert = SqliteValues.Command(
            connection,
            """
            INSERT INTO access_log (sequence, at_ms, actor, action, message_id, reason, detail, previous_hash, hash)
            VALUES ($sequence, $at, $actor, $action, $message, $reason, $detail, $previous, $hash);
            """,
            transaction))
        {
            insert.Parameters.AddWithValue("$sequence", sequence);
            insert.Parameters.AddWithValue("$at", SqliteValues.ToMilliseconds(at));
            insert.Parameters.AddWithValue("$actor", record.Actor);
            insert.Parameters.AddWithValue("$action", record.Action);
            insert.Parameters.AddWithValue("$message", (object?)record.MessageId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$reason", (object?)record.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("$detail", (object?)record.Detail ?? DBNull.Value);
            insert.Parameters.AddWithValue("$previous", headHash);
            insert.Parameters.AddWithValue("$hash", hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (subjects.Count > 0)
        {
            await using var insertSubject = SqliteValues.Command(connection, "INSERT INTO access_log_subjects (subject, sequence) VALUES ($subject, $sequence);", transaction);
            var subject = insertSubject.Parameters.Add("$subject", SqliteType.Text);
            insertSubject.Parameters.AddWithValue("$sequence", sequence);
            foreach (var value in subjects)
            {
                subject.Value = value;
                await insertSubject.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // UPDATE, never INSERT: a head record someone deleted stays missing, and verification says so.
        await using (var head = SqliteValues.Command(connection, "UPDATE access_log_head SET sequence = $sequence, hash = $hash WHERE id = 1;", transaction))
        {
            head.Parameters.AddWithValue("$sequence", sequence);
            head.Parameters.AddWithValue("$hash", hash);
            await head.ExecuteNonQueryAsync(cancellationToken);
        }

        return new AccessLogEntry(sequence, at, record.Actor, record.Action, record.MessageId, subjects, record.Reason, record.Detail, headHash, hash);
    }

    /// <summary>The entry to chain the next one to: the recorded head, else the newest row, else the anchor.</summary>
    private static async Task<(long Sequence, string Hash)> ReadHeadForAppend(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (await ReadRecordedHead(connection, transaction, cancellationToken) is { } recorded)
        {
            return recorded;
        }

        await using var newest = SqliteValues.Command(connection, "SELECT sequence, hash FROM access_log ORDER BY sequence DESC LIMIT 1;", transaction);
        await using var reader = await newest.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetString(1))
            : await ReadAnchor(connection, transaction, cancellationToken);
    }

    private static async Task<(long Sequence, string Hash)?> ReadRecordedHead(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "SELECT sequence, hash FROM access_log_head WHERE id = 1;", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>Where the chain starts: the last purged entry, or the genesis before any purge.</summary>
    private static async Task<(long Sequence, string Hash)> ReadAnchor(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "SELECT sequence, hash FROM access_log_anchor WHERE id = 1;", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AccessLogHasher.GenesisHash);
    }

    private static AccessLogEntry Read(SqliteDataReader reader)
    {
        var subjects = new List<string>();
        using (var json = JsonDocument.Parse(reader.GetString(9)))
        {
            foreach (var element in json.RootElement.EnumerateArray())
            {
                subjects.Add(element.GetString() ?? string.Empty);
            }
        }

        subjects.Sort(StringComparer.Ordinal);
        return new AccessLogEntry(
            reader.GetInt64(0),
            SqliteValues.FromMilliseconds(reader.GetInt64(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            subjects,
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7),
            reader.GetString(8));
    }

    private static AccessLogRecord Normalise(AccessLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Actor, "record.Actor");
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action, "record.Action");
        var action = record.Action.Trim();
        if (!AccessActions.IsKnown(action))
        {
            throw new ArgumentException($"'{action}' is not one of the access log's actions (AccessActions).", nameof(record));
        }

        var subjects = (record.DataSubjects ?? [])
            .Select(NormaliseSubject)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var normalised = new AccessLogRecord(
            Check(record.Actor.Trim(), "record.Actor")!,
            action,
            Check(Blank(record.MessageId) ? null : record.MessageId!.Trim(), "record.MessageId"),
            subjects,
            Check(Blank(record.Reason) ? null : record.Reason!.Trim(), "record.Reason"),
            Check(Blank(record.Detail) ? null : record.Detail!.Trim(), "record.Detail"));
        foreach (var subject in subjects)
        {
            Check(subject, "record.DataSubjects");
        }

        return normalised;
    }

    private static string? NormaliseSubject(string? subject) =>
        Blank(subject) ? null : subject!.Trim().ToLowerInvariant();

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    private static string? Check(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > MaxFieldLength)
        {
            throw new ArgumentException($"{name} is {text.Length} characters long; the access log takes at most {MaxFieldLength} (it records who and why, never content).", name);
        }

        return AccessLogHasher.IsEncodable(text)
            ? text
            : throw new ArgumentException($"{name} is not valid Unicode text (it has a lone surrogate).", name);
    }
}
