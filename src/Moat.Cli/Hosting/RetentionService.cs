using Microsoft.Extensions.Logging;
using Moat.Cli.Configuration;
using Moat.Storage.AccessLog;
using Moat.Web.Quarantine;

namespace Moat.Cli.Hosting;

/// <summary>
/// Deletes what the privacy settings say must not be kept any longer: held mail past
/// privacy.heldMailRetention and access-log entries past privacy.accessLogRetention. Every
/// deletion is itself written to the access log, so the people concerned can see it happened.
/// </summary>
internal sealed partial class RetentionService(IQuarantine quarantine, IAccessLog accessLog, PrivacyOptions privacy, TimeProvider clock, ILogger logger)
{
    public const string Actor = "system";
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Runs once at start and then every hour until stopped.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await PurgeAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    /// <returns>How many held messages and access-log entries were deleted.</returns>
    public async Task<(int HeldMessages, int AccessLogEntries)> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var heldBefore = now - privacy.HeldMailRetention;
        var held = 0;
        foreach (var message in await quarantine.ListAsync(cancellationToken))
        {
            if (message.ReceivedAt >= heldBefore)
            {
                continue;
            }

            await accessLog.AppendAsync(
                new AccessLogRecord(Actor, AccessActions.Delete, message.Id, message.DataSubjects,
                    Reason: $"retention: held mail is kept {privacy.HeldMailRetention.TotalDays:0.##} days",
                    Detail: "held because: " + message.Reason),
                cancellationToken);
            if (quarantine.Delete(message.Id))
            {
                held++;
            }
        }

        var entries = await accessLog.PurgeBeforeAsync(now - privacy.AccessLogRetention, Actor, cancellationToken);
        if (held > 0 || entries > 0)
        {
            LogPurged(logger, held, entries);
        }

        return (held, entries);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Retention: {Held} held message(s) and {Entries} access-log entries deleted")]
    private static partial void LogPurged(ILogger logger, int held, int entries);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error, Message = "Retention purge failed; trying again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
