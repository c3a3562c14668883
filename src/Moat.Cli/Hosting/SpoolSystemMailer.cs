using Moat.Queue.Spool;
using Moat.Trust;

namespace Moat.Cli.Hosting;

/// <summary>Queues Moat's own messages (challenges, digests) like any accepted message, from the null sender.</summary>
internal sealed class SpoolSystemMailer(IQueueWriter spool, string hostName, TimeProvider clock) : ISystemMailer
{
    public async ValueTask SendAsync(string recipient, Func<Stream, CancellationToken, Task> writeMessage, CancellationToken cancellationToken)
    {
        await using var writer = await spool.CreateAsync(cancellationToken);
        await writeMessage(writer.Content, cancellationToken);
        var envelope = new Envelope
        {
            Sender = string.Empty,
            Recipients = [new EnvelopeRecipient { Address = recipient }],
            HeloName = hostName,
            Listener = "system",
            ReceivedAt = clock.GetUtcNow(),
        };
        await writer.CommitAsync(envelope, QueueState.Incoming, cancellationToken);
    }
}
