using Microsoft.Data.Sqlite;

namespace Moat.Storage.Sqlite;

/// <summary>
/// The schema as numbered migrations. A released migration is never edited: a change is a new
/// step at the end, so every database, however old, reaches the same schema.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>Times are unix milliseconds UTC; sources and kinds are lower-case words, readable with the sqlite3 shell.</summary>
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "trust lists, change counter, familiarity, challenges", """
            CREATE TABLE trust_entries (
                owner      TEXT    NOT NULL,
                pattern    TEXT    NOT NULL,
                source     TEXT    NOT NULL,
                added_ms   INTEGER NOT NULL,
                expires_ms INTEGER,
                PRIMARY KEY (owner, pattern)
            ) WITHOUT ROWID;
            CREATE INDEX trust_entries_expires ON trust_entries (expires_ms) WHERE expires_ms IS NOT NULL;

            -- One row that every change of trust_entries bumps, from whichever process: readers
            -- compare it with the value of their snapshot instead of reloading the lists.
            CREATE TABLE trust_changes (
                id    INTEGER PRIMARY KEY CHECK (id = 1),
                stamp INTEGER NOT NULL
            );
            INSERT INTO trust_changes (id, stamp) VALUES (1, 0);
            CREATE TRIGGER trust_entries_inserted AFTER INSERT ON trust_entries
            BEGIN UPDATE trust_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER trust_entries_updated AFTER UPDATE ON trust_entries
            BEGIN UPDATE trust_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER trust_entries_deleted AFTER DELETE ON trust_entries
            BEGIN UPDATE trust_changes SET stamp = stamp + 1 WHERE id = 1; END;

            CREATE TABLE familiarity (
                kind          TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                count         INTEGER NOT NULL,
                first_seen_ms INTEGER NOT NULL,
                last_seen_ms  INTEGER NOT NULL,
                PRIMARY KEY (kind, key)
            ) WITHOUT ROWID;

            CREATE TABLE challenges (
                id           TEXT    PRIMARY KEY NOT NULL,
                sender       TEXT    NOT NULL,
                recipient    TEXT    NOT NULL,
                sent_ms      INTEGER NOT NULL,
                confirmed_ms INTEGER
            );
            CREATE INDEX challenges_sender_sent ON challenges (sender, sent_ms);
            CREATE INDEX challenges_sent ON challenges (sent_ms);
            """),
        new(2, "accounts, popularity sketches, spraying blocks", """
            -- sketch_positions: the popularity-sketch counters this password incremented, as
            -- comma-separated flat indexes, so a change or removal decrements exactly them.
            CREATE TABLE accounts (
                name                 TEXT    PRIMARY KEY NOT NULL,
                role                 TEXT    NOT NULL,
                password_hash        TEXT    NOT NULL,
                locked               INTEGER NOT NULL DEFAULT 0,
                created_ms           INTEGER NOT NULL,
                password_changed_ms  INTEGER NOT NULL,
                last_login_ms        INTEGER,
                password_too_popular INTEGER NOT NULL DEFAULT 0,
                sketch_positions     TEXT    NOT NULL DEFAULT ''
            ) WITHOUT ROWID;

            -- Counters as little-endian 32-bit integers, row after row.
            CREATE TABLE sketches (
                name     TEXT    PRIMARY KEY NOT NULL,
                depth    INTEGER NOT NULL,
                width    INTEGER NOT NULL,
                counters BLOB    NOT NULL,
                saved_ms INTEGER NOT NULL
            );

            -- Like trust_changes. Logins only touch last_login_ms and password_too_popular, which
            -- the triggers leave out: the gateway need not reload the sketch after every login.
            CREATE TABLE account_changes (
                id    INTEGER PRIMARY KEY CHECK (id = 1),
                stamp INTEGER NOT NULL
            );
            INSERT INTO account_changes (id, stamp) VALUES (1, 0);
            CREATE TRIGGER accounts_inserted AFTER INSERT ON accounts
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER accounts_updated AFTER UPDATE OF name, role, password_hash, locked, sketch_positions ON accounts
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER accounts_deleted AFTER DELETE ON accounts
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER sketches_inserted AFTER INSERT ON sketches
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER sketches_updated AFTER UPDATE ON sketches
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;
            CREATE TRIGGER sketches_deleted AFTER DELETE ON sketches
            BEGIN UPDATE account_changes SET stamp = stamp + 1 WHERE id = 1; END;

            CREATE TABLE spray_blocks (
                network  TEXT    PRIMARY KEY NOT NULL,
                until_ms INTEGER NOT NULL,
                reason   TEXT    NOT NULL,
                score    REAL    NOT NULL
            ) WITHOUT ROWID;
            """),
        new(3, "access log: hash-chained entries, their data subjects, head and purge anchor", """
            -- Each entry's hash covers its fields and previous_hash (the hash of the entry before),
            -- see AccessLogHasher. The sequence is the row id: contiguous, a gap is a deletion.
            CREATE TABLE access_log (
                sequence      INTEGER PRIMARY KEY NOT NULL,
                at_ms         INTEGER NOT NULL,
                actor         TEXT    NOT NULL,
                action        TEXT    NOT NULL,
                message_id    TEXT,
                reason        TEXT,
                detail        TEXT,
                previous_hash TEXT    NOT NULL,
                hash          TEXT    NOT NULL
            );
            CREATE INDEX access_log_actor ON access_log (actor, sequence);
            CREATE INDEX access_log_message ON access_log (message_id, sequence) WHERE message_id IS NOT NULL;
            CREATE INDEX access_log_at ON access_log (at_ms);

            -- Whose mail or data an entry concerns (lower case), for "who accessed my mail".
            CREATE TABLE access_log_subjects (
                subject  TEXT    NOT NULL,
                sequence INTEGER NOT NULL REFERENCES access_log (sequence) ON DELETE CASCADE,
                PRIMARY KEY (subject, sequence)
            ) WITHOUT ROWID;
            CREATE INDEX access_log_subjects_sequence ON access_log_subjects (sequence);

            -- The newest entry, so deleting the newest entries is noticed; and the last entry a
            -- purge deleted, where the remaining chain starts. Sequence 0 and 64 zeros: nothing yet.
            CREATE TABLE access_log_head (
                id       INTEGER PRIMARY KEY CHECK (id = 1),
                sequence INTEGER NOT NULL,
                hash     TEXT    NOT NULL
            );
            INSERT INTO access_log_head (id, sequence, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
            CREATE TABLE access_log_anchor (
                id        INTEGER PRIMARY KEY CHECK (id = 1),
                sequence  INTEGER NOT NULL,
                hash      TEXT    NOT NULL,
                purged_ms INTEGER
            );
            INSERT INTO access_log_anchor (id, sequence, hash, purged_ms) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', NULL);
            """),
        new(4, "content classifier: token statistics (keyed hashes) and message totals", """
            -- token is a keyed 64-bit hash of a word or word pair (see TokenHasher), never the text.
            CREATE TABLE content_tokens (
                token    INTEGER PRIMARY KEY NOT NULL,
                ham      INTEGER NOT NULL,
                spam     INTEGER NOT NULL,
                last_day INTEGER NOT NULL
            );
            CREATE INDEX content_tokens_prune ON content_tokens (last_day) WHERE ham + spam <= 1;
            CREATE TABLE content_totals (
                id   INTEGER PRIMARY KEY CHECK (id = 1),
                ham  INTEGER NOT NULL,
                spam INTEGER NOT NULL
            );
            INSERT INTO content_totals (id, ham, spam) VALUES (1, 0, 0);
            """),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; safe when several processes start at once.</summary>
    public static void Apply(SqliteConnection connection, string path)
    {
        // journal_mode is stored in the file and cannot change inside a transaction.
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteScalar();
        }

        // IMMEDIATE: a second process starting at the same moment waits here, then finds the
        // schema current, instead of both applying the same step.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_ms INTEGER NOT NULL);");
        int current;
        using (var query = connection.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
            current = Convert.ToInt32(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > LatestVersion)
        {
            throw new StorageException(
                $"The database file {path} has schema version {current}, written by a newer Moat; this one knows up to version {LatestVersion}. Upgrade Moat, or use the newer one's data folder only with it.");
        }

        foreach (var migration in All.Where(m => m.Version > current))
        {
            Execute(connection, transaction, migration.Sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_ms) VALUES ($version, $description, $applied);";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$description", migration.Description);
            record.Parameters.AddWithValue("$applied", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
