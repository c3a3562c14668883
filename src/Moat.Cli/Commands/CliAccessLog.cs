using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;

namespace Moat.Cli.Commands;

/// <summary>How commands run by an administrator record their changes in the access log.</summary>
internal static class CliAccessLog
{
    /// <summary>The local user who ran the command, as the access log names them: <c>cli:root</c>.</summary>
    public static string Actor => "cli:" + (string.IsNullOrWhiteSpace(Environment.UserName) ? "unknown" : Environment.UserName);

    /// <summary>Appends an entry by <see cref="Actor"/>; called after the change succeeded, so only changes made are recorded.</summary>
    public static Task RecordAsync(SqliteStorage storage, string action, IEnumerable<string> dataSubjects, string detail, CancellationToken cancellationToken, string? messageId = null) =>
        storage.AccessLog.AppendAsync(new AccessLogRecord(Actor, action, messageId, DataSubjects: [.. dataSubjects], Detail: detail), cancellationToken);
}
