using System.Text;
using Moat.Queue.Spool;

namespace Moat.Queue.Admin;

/// <summary>
/// The operations behind <c>moat queue list|show|retry|hold|release|delete</c>. They work on the
/// folder directly, also while a server runs on it: every change is one rename out of a named
/// state, so it either wins against the queue manager or finds the message gone. Messages in
/// active belong to the queue manager and are refused.
/// </summary>
public sealed class QueueAdmin(MessageSpool spool, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public QueueAdmin(QueueOptions options)
        : this(new MessageSpool(options))
    {
    }

    public async Task<IReadOnlyList<QueueEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = new List<QueueEntry>();
        foreach (var state in MessageSpool.AllStates)
        {
            foreach (var id in spool.ListIds(state))
            {
                try
                {
                    var e = await spool.ReadEnvelopeAsync(state, id, cancellationToken).ConfigureAwait(false);
                    entries.Add(new QueueEntry(
                        id, state, e.Size, now - e.ReceivedAt, e.Sender, e.Recipients.Count,
                        e.Recipients.Count(r => r.Status == RecipientStatus.Pending), e.LastError, e.NextAttemptAt));
                }
                catch (CorruptMessageException ex)
                {
                    var age = QueueId.TryGetTimestamp(id, out var since) ? now - since : TimeSpan.Zero;
                    entries.Add(new QueueEntry(id, state, 0, age, string.Empty, 0, 0, "corrupt: " + ex.Reason, null));
                }
                catch (FileNotFoundException)
                {
                    // Moved while we listed; it shows up in its new state next time.
                }
            }
        }

        return entries;
    }

    /// <summary>The envelope and header block of a message, or null when there is no such message.</summary>
    public async Task<QueueMessageDetails?> ShowAsync(string id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id))
        {
            return null;
        }

        foreach (var state in MessageSpool.AllStates)
        {
            try
            {
                var envelope = await spool.ReadEnvelopeAsync(state, id, cancellationToken).ConfigureAwait(false);
                await using var content = spool.GetContent(state, envelope).OpenRead();
                var headers = await HeaderReader.ReadHeaderBlockAsync(content, cancellationToken).ConfigureAwait(false);
                return new QueueMessageDetails(state, envelope, Encoding.UTF8.GetString(headers));
            }
            catch (FileNotFoundException)
            {
            }
        }

        return null;
    }

    /// <summary>Makes a deferred message due now (deferred → incoming).</summary>
    public AdminResult Retry(string id) =>
        Move(id, [QueueState.Deferred], QueueState.Incoming, "queued for immediate delivery");

    /// <summary>Keeps a message from delivery until released (incoming or deferred → hold).</summary>
    public AdminResult Hold(string id) =>
        Move(id, [QueueState.Incoming, QueueState.Deferred], QueueState.Hold, "on hold");

    /// <summary>Returns a held message to delivery (hold → incoming).</summary>
    public AdminResult Release(string id) =>
        Move(id, [QueueState.Hold], QueueState.Incoming, "released");

    /// <summary>Deletes a message that is not being delivered.</summary>
    public AdminResult Delete(string id)
    {
        if (!QueueId.IsValid(id))
        {
            return AdminResult.Refused($"'{id}' is not a queue id");
        }

        foreach (var state in new[] { QueueState.Incoming, QueueState.Deferred, QueueState.Hold, QueueState.Corrupt })
        {
            // Claim it with a rename into our own name first, so the queue manager cannot take it
            // to active half-way through the delete.
            var claimed = spool.MessagePath(state, id) + ".deleting";
            try
            {
                File.Move(spool.MessagePath(state, id), claimed);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            spool.DeleteLegacyContent(id);
            File.Delete(claimed);
            return AdminResult.Ok($"{id} deleted from {Name(state)}");
        }

        return NotMovable(id);
    }

    private AdminResult Move(string id, QueueState[] from, QueueState to, string done)
    {
        if (!QueueId.IsValid(id))
        {
            return AdminResult.Refused($"'{id}' is not a queue id");
        }

        foreach (var state in from)
        {
            if (spool.TryMove(id, state, to))
            {
                return AdminResult.Ok($"{id} {done}");
            }
        }

        return NotMovable(id);
    }

    private AdminResult NotMovable(string id) => spool.FindState(id) switch
    {
        QueueState.Active => AdminResult.Refused($"{id} is being delivered right now; try again in a moment"),
        null => AdminResult.Refused($"{id}: no such message in the queue"),
        var state => AdminResult.Refused($"{id} is in {Name(state.Value)}; the operation does not apply there"),
    };

    private static string Name(QueueState state) => state.ToString().ToLowerInvariant();
}
