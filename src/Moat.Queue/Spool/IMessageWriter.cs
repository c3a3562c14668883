namespace Moat.Queue.Spool;

/// <summary>
/// One message being received. Write the raw RFC 5322 bytes to <see cref="Content"/>, then either
/// <see cref="CommitAsync"/> (durable when it returns: answer 250 only then) or <see cref="AbortAsync"/>.
/// Disposing without commit aborts.
/// </summary>
public interface IMessageWriter : IAsyncDisposable
{
    /// <summary>The queue id the message will have.</summary>
    string Id { get; }

    /// <summary>Write-only, buffered, streaming to the temp file.</summary>
    Stream Content { get; }

    /// <summary>Reads what was written so far (for content filters, before commit). The caller disposes it.</summary>
    ValueTask<Stream> OpenContentForReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends the envelope record to the content, fsyncs the file, publishes it by rename and fsyncs the folder.
    /// Sets the envelope's Id, Size, EightBit and ContentSha256 (and ReceivedAt when unset).
    /// </summary>
    /// <param name="target">Incoming (deliver) or Hold (keep until released).</param>
    ValueTask CommitAsync(Envelope envelope, QueueState target, CancellationToken cancellationToken);

    /// <summary>Deletes the temp file.</summary>
    ValueTask AbortAsync();
}
