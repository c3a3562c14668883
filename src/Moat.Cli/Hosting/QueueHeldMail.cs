using Moat.Queue.Spool;
using Moat.Storage.AccessLog;
using Moat.Trust.Challenges;
using Moat.Web.Quarantine;

namespace Moat.Cli.Hosting;

/// <summary>
/// Held mail as the queue keeps it: envelopes in the hold folder whose last error names the hold
/// reason (the session handler writes "held: REASON"). Releasing is the same atomic rename the
/// <c>moat queue release</c> command does, followed by a nudge so delivery starts at once; before
/// it, <paramref name="releaseCheck"/> (the antivirus) scans each message again, and one it stops
/// stays held. Releases and deletions are written to the access log, like those made on the web pages.
/// </summary>
internal sealed class QueueHeldMail(MessageSpool spool, Action nudge, IAccessLog accessLog, IReleaseCheck? releaseCheck = null) : IHeldMail
{
    public async ValueTask<IReadOnlyList<HeldMessage>> ListAsync(string reason, CancellationToken cancellationToken)
    {
        var held = new List<HeldMessage>();
        foreach (var envelope in (await HeldForAsync(reason, cancellationToken)).OrderBy(e => e.ReceivedAt))
        {
            held.Add(new HeldMessage(envelope.Id, envelope.Sender, envelope.Recipients.Select(r => r.Address).ToList(), await ReadSubjectAsync(envelope.Id, cancellationToken), envelope.ReceivedAt));
        }

        return held;
    }

    public async ValueTask<IReadOnlyList<string>> ReleaseFromAsync(string sender, string reason, CancellationToken cancellationToken)
    {
        var recipients = new List<string>();
        foreach (var envelope in await HeldForAsync(reason, cancellationToken))
        {
            if (envelope.Sender.Equals(sender, StringComparison.OrdinalIgnoreCase)
                && (releaseCheck is null || await releaseCheck.CheckAsync(envelope.Id, cancellationToken) is null)
                && spool.TryMove(envelope.Id, QueueState.Hold, QueueState.Incoming))
            {
                recipients.AddRange(envelope.Recipients.Select(r => r.Address));
                await LogAsync(AccessActions.Release, envelope, "the sender answered the challenge", cancellationToken);
            }
        }

        if (recipients.Count > 0)
        {
            nudge();
        }

        return recipients;
    }

    public async ValueTask<int> DeleteHeldBeforeAsync(string reason, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var envelope in await HeldForAsync(reason, cancellationToken))
        {
            if (envelope.ReceivedAt < before && spool.Delete(envelope.Id, QueueState.Hold))
            {
                deleted++;
                await LogAsync(AccessActions.Delete, envelope, $"held for \"{reason}\" past its hold time", cancellationToken);
            }
        }

        return deleted;
    }

    private async Task<string?> ReadSubjectAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = spool.OpenContent(QueueState.Hold, id);
            var headers = await MimeKit.HeaderList.LoadAsync(content, cancellationToken);
            return headers[MimeKit.HeaderId.Subject];
        }
        catch (Exception exception) when (exception is IOException or FormatException or CorruptMessageException)
        {
            // Gone meanwhile, or a header MimeKit cannot read: list the message without a subject.
            return null;
        }
    }

    private Task LogAsync(string action, Envelope envelope, string reason, CancellationToken cancellationToken) =>
        accessLog.AppendAsync(
            new AccessLogRecord(
                RetentionService.Actor,
                action,
                envelope.Id,
                [.. envelope.Addresses],
                reason),
            cancellationToken);

    private async Task<List<Envelope>> HeldForAsync(string reason, CancellationToken cancellationToken)
    {
        var marker = "held: " + reason;
        var held = new List<Envelope>();
        foreach (var id in spool.ListIds(QueueState.Hold))
        {
            try
            {
                var envelope = await spool.ReadEnvelopeAsync(QueueState.Hold, id, cancellationToken);
                if (envelope.LastError == marker)
                {
                    held.Add(envelope);
                }
            }
            catch (Exception exception) when (exception is FileNotFoundException or CorruptMessageException)
            {
                // Released, deleted or moved to corrupt by someone else meanwhile.
            }
        }

        return held;
    }
}
