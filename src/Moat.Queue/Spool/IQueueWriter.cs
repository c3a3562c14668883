namespace Moat.Queue.Spool;

/// <summary>What the SMTP side needs from the queue: a place to stream a new message into.</summary>
public interface IQueueWriter
{
    /// <summary>Starts a new message in a temp file; nothing is visible to the queue until commit.</summary>
    ValueTask<IMessageWriter> CreateAsync(CancellationToken cancellationToken);
}
