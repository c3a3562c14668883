using Microsoft.Extensions.Logging;
using Moat.Pipeline;
using Moat.Queue.Spool;
using Moat.Scanning.Filter;
using Moat.Scanning.Scanning;
using Moat.Web.Quarantine;

namespace Moat.Cli.Hosting;

/// <summary>
/// Scans held mail again before it is released, with the engines and today's signatures of the
/// direction it came in by (the submission listeners' mail is outbound, all else inbound). A
/// threat found becomes the message's hold reason in its envelope ("held: virus: …"), so the
/// quarantine shows the new verdict and, as for any antivirus verdict, only an administrator can
/// release it. A scan that fails keeps the message held as it was: releasing it unchecked is what
/// the check is there to prevent.
/// </summary>
internal sealed partial class AntivirusReleaseCheck(
    MessageSpool spool, AntivirusFilter antivirus, IReadOnlyDictionary<string, ListenerRole> listenerRoles, ILogger logger) : IReleaseCheck
{
    private const string HeldPrefix = "held: ";

    public async Task<ReleaseResult?> CheckAsync(string id, CancellationToken cancellationToken)
    {
        Envelope envelope;
        try
        {
            envelope = await spool.ReadEnvelopeAsync(QueueState.Hold, id, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or CorruptMessageException)
        {
            return ReleaseResult.NotHeld;
        }

        var content = spool.GetContent(QueueState.Hold, envelope);
        var direction = envelope.Listener is { } listener && listenerRoles.TryGetValue(listener, out var role) && role == ListenerRole.Submission
            ? MailDirection.Outbound
            : MailDirection.Inbound;
        ScanReport report;
        try
        {
            report = await antivirus.ScanAsync(_ => ValueTask.FromResult(content.OpenRead()), envelope.Size, direction, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            // Released or deleted by someone else while this scan started.
            return ReleaseResult.NotHeld;
        }

        if (report.Outcome.Kind == ScanOutcomeKind.Clean)
        {
            return null;
        }

        if (AntivirusFilter.HoldReason(report.Outcome) is not { } reason)
        {
            LogNotChecked(logger, id, report.Outcome.ToString());
            return ReleaseResult.NotChecked;
        }

        LogThreatFound(logger, id, reason);
        envelope.LastError = HeldPrefix + reason;
        try
        {
            await spool.WriteEnvelopeAsync(QueueState.Hold, envelope, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or CorruptMessageException)
        {
            return ReleaseResult.NotHeld;
        }

        return ReleaseResult.ThreatFound;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Held message {Id} stays held: scanned again before its release, {Reason}")]
    private static partial void LogThreatFound(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Held message {Id} stays held: it could not be scanned again before its release ({Outcome})")]
    private static partial void LogNotChecked(ILogger logger, string id, string outcome);
}
