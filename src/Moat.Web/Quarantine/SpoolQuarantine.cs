using MimeKit;
using Moat.Queue.Spool;

namespace Moat.Web.Quarantine;

/// <summary>
/// The quarantine is the queue's hold state: a verdict's reason is kept in the envelope as
/// "held: REASON". Release is the same atomic rename <c>moat queue release</c> does, followed by a
/// nudge so delivery starts at once; before it, <paramref name="releaseCheck"/> (the antivirus,
/// when it is in the pipeline) scans the message again.
/// </summary>
public sealed class SpoolQuarantine(MessageSpool spool, Action nudge, IReleaseCheck? releaseCheck = null) : IQuarantine
{
    private const string HeldPrefix = "held: ";

    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken)
    {
        var held = new List<QuarantinedMessage>();
        foreach (var id in spool.ListIds(QueueState.Hold))
        {
            if (await FindAsync(id, cancellationToken) is { } message)
            {
                held.Add(message);
            }
        }

        return held.OrderByDescending(m => m.ReceivedAt).ToList();
    }

    public async Task<QuarantinedMessage?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id))
        {
            return null;
        }

        try
        {
            var envelope = await spool.ReadEnvelopeAsync(QueueState.Hold, id, cancellationToken);
            return new QuarantinedMessage(
                envelope.Id,
                envelope.Sender,
                envelope.Recipients.Select(r => r.Address).ToList(),
                await ReadSubjectAsync(id, cancellationToken),
                Reason(envelope.LastError),
                envelope.ReceivedAt,
                envelope.Size);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or CorruptMessageException)
        {
            return null;
        }
    }

    public Stream? OpenContent(string id)
    {
        if (!QueueId.IsValid(id))
        {
            return null;
        }

        try
        {
            return spool.OpenContent(QueueState.Hold, id);
        }
        catch (Exception ex) when (ex is FileNotFoundException or CorruptMessageException)
        {
            return null;
        }
    }

    public async Task<ReleaseResult> ReleaseAsync(string id, bool check, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id))
        {
            return ReleaseResult.NotHeld;
        }

        if (check && releaseCheck is not null && await releaseCheck.CheckAsync(id, cancellationToken) is { } stop)
        {
            return stop;
        }

        if (!spool.TryMove(id, QueueState.Hold, QueueState.Incoming))
        {
            return ReleaseResult.NotHeld;
        }

        nudge();
        return ReleaseResult.Released;
    }

    public bool Delete(string id) => QueueId.IsValid(id) && spool.Delete(id, QueueState.Hold);

    private static string Reason(string? lastError) =>
        lastError is not null && lastError.StartsWith(HeldPrefix, StringComparison.Ordinal)
            ? lastError[HeldPrefix.Length..]
            : "held by an administrator";

    private async Task<string?> ReadSubjectAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = spool.OpenContent(QueueState.Hold, id);
            var block = await HeaderReader.ReadHeaderBlockAsync(content, cancellationToken);
            using var headerStream = new MemoryStream(block);
            var headers = await HeaderList.LoadAsync(headerStream, cancellationToken);
            return headers[HeaderId.Subject];
        }
        catch (Exception ex) when (ex is FileNotFoundException or FormatException or ParseException or CorruptMessageException)
        {
            return null;
        }
    }
}
