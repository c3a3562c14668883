using System.Security.Cryptography;
using System.Text;
using Moat.Storage.AccessLog;

namespace Moat.Cli.Hosting;

/// <summary>
/// Records in the access log that the gateway runs with a configuration different from the one it
/// last recorded (the first start counts as a change). Only a hash of the configuration is
/// written: it proves which configuration ran without copying settings, which may hold secrets,
/// into the log.
/// </summary>
internal static class ConfigurationChangeRecorder
{
    public const string Actor = "system";

    private const string HashPrefix = "sha256:";

    // The log has no filter by action; the gateway's own entries are few next to people's views,
    // so its last configuration entry is found in a page or two.
    private const int PageSize = 500;

    /// <param name="configFilePath">The file given with --config, or null for the embedded default.</param>
    /// <param name="configurationJsonOrFileText">The effective configuration (or the file's text) whose hash is compared.</param>
    public static async Task RecordAsync(IAccessLog log, string? configFilePath, string configurationJsonOrFileText, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(configurationJsonOrFileText);
        var hash = HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configurationJsonOrFileText)));
        var last = await FindLastAsync(log, ct);
        if (last is not null && HashOf(last.Detail) == hash)
        {
            return;
        }

        var file = configFilePath is null ? "none (embedded defaults and MOAT_* environment)" : Path.GetFullPath(configFilePath);
        await log.AppendAsync(
            new AccessLogRecord(
                Actor,
                AccessActions.ConfigurationChange,
                Reason: last is null ? "first start with an access log" : "the gateway started with a configuration other than the one last recorded",
                Detail: $"{hash}; file {file}"),
            ct);
    }

    /// <summary>"sha256:ab…; file /etc/moat/moat.json" → "sha256:ab…".</summary>
    internal static string? HashOf(string? detail)
    {
        if (detail is null || !detail.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = detail.IndexOf(';', StringComparison.Ordinal);
        return end < 0 ? detail : detail[..end];
    }

    private static async Task<AccessLogEntry?> FindLastAsync(IAccessLog log, CancellationToken ct)
    {
        long? before = null;
        while (true)
        {
            var page = await log.ListAsync(new AccessLogQuery(Actor: Actor, Limit: PageSize, BeforeSequence: before), ct);
            if (page.FirstOrDefault(e => e.Action == AccessActions.ConfigurationChange) is { } found)
            {
                return found;
            }

            if (page.Count < PageSize)
            {
                return null;
            }

            before = page[^1].Sequence;
        }
    }
}
