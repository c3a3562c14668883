using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Moat.Storage.Trust;

namespace Moat.Storage.Sqlite;

/// <summary>The classifier's token statistics in <c>content_tokens</c> and <c>content_totals</c>.</summary>
internal sealed class SqliteTokenStore : ITokenStore
{
    private readonly SqliteDatabase database;

    public SqliteTokenStore(SqliteDatabase database) => this.database = database;

    public async ValueTask<TokenCounts> GetTotalsAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "SELECT ham, spam FROM content_totals WHERE id = 1;");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? new TokenCounts(reader.GetInt64(0), reader.GetInt64(1)) : default;
            },
            cancellationToken);

    public async ValueTask<IReadOnlyDictionary<long, TokenCounts>> GetCountsAsync(IReadOnlyCollection<long> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            return new Dictionary<long, TokenCounts>();
        }

        // One statement for thousands of tokens: the list goes in as one JSON array parameter.
        var list = new StringBuilder(tokens.Count * 21).Append('[');
        foreach (var token in tokens)
        {
            list.Append(token.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        list[^1] = ']';
        return await database.RunAsync<IReadOnlyDictionary<long, TokenCounts>>(
            async connection =>
            {
                await using var command = SqliteValues.Command(
                    connection,
                    "SELECT token, ham, spam FROM content_tokens WHERE token IN (SELECT value FROM json_each($tokens));");
                command.Parameters.AddWithValue("$tokens", list.ToString());
                var counts = new Dictionary<long, TokenCounts>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    counts[reader.GetInt64(0)] = new TokenCounts(reader.GetInt64(1), reader.GetInt64(2));
                }

                return counts;
            },
            cancellationToken);
    }

    public async ValueTask LearnAsync(IReadOnlyCollection<TokenTraining> batch, DateTimeOffset day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        var dayNumber = day.ToUnixTimeSeconds() / 86_400;
        await database.RunAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using var upsert = SqliteValues.Command(
                    connection,
                    """
                    INSERT INTO content_tokens (token, ham, spam, last_day) VALUES ($token, $ham, $spam, $day)
                    ON CONFLICT (token) DO UPDATE SET ham = ham + excluded.ham, spam = spam + excluded.spam, last_day = excluded.last_day;
                    """,
                    transaction);
                var token = upsert.Parameters.Add("$token", SqliteType.Integer);
                var ham = upsert.Parameters.Add("$ham", SqliteType.Integer);
                var spam = upsert.Parameters.Add("$spam", SqliteType.Integer);
                upsert.Parameters.AddWithValue("$day", dayNumber);
                long hamMessages = 0, spamMessages = 0;
                foreach (var message in batch)
                {
                    ham.Value = message.IsSpam ? 0 : 1;
                    spam.Value = message.IsSpam ? 1 : 0;
                    foreach (var value in message.Tokens)
                    {
                        token.Value = value;
                        await upsert.ExecuteNonQueryAsync(cancellationToken);
                    }

                    if (message.IsSpam)
                    {
                        spamMessages++;
                    }
                    else
                    {
                        hamMessages++;
                    }
                }

                await using var totals = SqliteValues.Command(connection, "UPDATE content_totals SET ham = ham + $ham, spam = spam + $spam WHERE id = 1;", transaction);
                totals.Parameters.AddWithValue("$ham", hamMessages);
                totals.Parameters.AddWithValue("$spam", spamMessages);
                await totals.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return 0;
            },
            cancellationToken);
    }

    public async ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await database.RunAsync(
            async connection =>
            {
                await using var command = SqliteValues.Command(connection, "DELETE FROM content_tokens WHERE ham + spam <= 1 AND last_day < $day;");
                command.Parameters.AddWithValue("$day", before.ToUnixTimeSeconds() / 86_400);
                return (long)await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
