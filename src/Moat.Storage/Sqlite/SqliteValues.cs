using Microsoft.Data.Sqlite;

namespace Moat.Storage.Sqlite;

/// <summary>Conversions between .NET values and the columns (unix milliseconds UTC, lower-case words).</summary>
internal static class SqliteValues
{
    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static object ToMilliseconds(DateTimeOffset? time) => time is { } value ? value.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset? FromNullableMilliseconds(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
