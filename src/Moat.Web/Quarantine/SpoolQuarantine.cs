using MimeKit;
using Moat.Queue.Spool;

namespace Moat.Web.Quarantine;

/// <summary>
/// The quarantine is the queue's hold state: a verdict's reason is kept in the envelope as
/// "held: REASON". Release is the same atomic rename <c>moat queue release</c> does, followed by a
/// nudge so delivery starts at once; before it, <paramref name="releaseCheck"/> (the antivirus,
/// when it is in the pipeline) scans the message again. A release for one of several recipients
/// splits the message: that recipient's copy goes, the others' stays held.
/// </summary>
public sealed class SpoolQuarantine(MessageSpool spool, Action nudge, IReleaseCheck? releaseCheck = null) : IQuarantine
{
    private const string HeldPrefix = "held: ";

    private readonly SemaphoreSlim splits = new(1, 1);

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

    public async Task<ReleaseResult> ReleaseAsync(string id, bool check, string? forRecipient, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id))
        {
            return ReleaseResult.NotHeld;
        }

        if (check && releaseCheck is not null && await releaseCheck.CheckAsync(id, cancellationToken) is { } stop)
        {
            return stop;
        }

        if (forRecipient is not null && await ReleaseForAsync(id, forRecipient, cancellationToken) is { } split)
        {
            return split;
        }

        if (!spool.TryMove(id, QueueState.Hold, QueueState.Incoming))
        {
            return ReleaseResult.NotHeld;
        }

        nudge();
        return ReleaseResult.Released;
    }

    public bool Delete(string id) => QueueId.IsValid(id) && spool.Delete(id, QueueState.Hold);

    /// <summary>
    /// Releases a copy for <paramref name="recipient"/> alone when the message has other recipients
    /// too; null when the recipient is its only one (then the whole message goes).
    /// </summary>
    private async Task<ReleaseResult?> ReleaseForAsync(string id, string recipient, CancellationToken cancellationToken)
    {
        bool Mine(EnvelopeRecipient r) => r.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase);

        // One split at a time: two at once would each write the envelope without only their own recipient.
        await splits.WaitAsync(cancellationToken);
        try
        {
            var envelope = await spool.ReadEnvelopeAsync(QueueState.Hold, id, cancellationToken);
            var mine = envelope.Recipients.Count(Mine);
            if (mine == 0)
            {
                return ReleaseResult.NotHeld;
            }

            if (mine == envelope.Recipients.Count)
            {
                return null;
            }

            await spool.SplitAsync(QueueState.Hold, id, Mine, QueueState.Incoming, cancellationToken);
            nudge();
            return ReleaseResult.Released;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or CorruptMessageException)
        {
            return ReleaseResult.NotHeld;
        }
        finally
        {
            splits.Release();
        }
    }

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
