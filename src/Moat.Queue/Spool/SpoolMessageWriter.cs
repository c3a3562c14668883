namespace Moat.Queue.Spool;

/// <summary>A message being written into the spool's temp folder as one queue file; see <see cref="IMessageWriter"/>.</summary>
internal sealed class SpoolMessageWriter : IMessageWriter
{
    private readonly MessageSpool spool;
    private readonly HashingWriteStream content;
    private readonly string tempPath;
    private bool finished;

    public SpoolMessageWriter(MessageSpool spool, string id, string tempPath)
    {
        this.spool = spool;
        this.tempPath = tempPath;
        Id = id;
        var file = new FileStream(tempPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 64 * 1024,
            Options = FileOptions.Asynchronous,
        });
        content = new HashingWriteStream(file);
    }

    public string Id { get; }

    public Stream Content => content;

    public async ValueTask<Stream> OpenContentForReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(finished, this);

        // Push our buffer to the OS so that a second handle sees every byte written so far.
        await content.FlushAsync(cancellationToken).ConfigureAwait(false);
        return MessageSpool.OpenRead(tempPath);
    }

    public async ValueTask CommitAsync(Envelope envelope, QueueState target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (target is not (QueueState.Incoming or QueueState.Hold))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "a new message goes to incoming or hold");
        }

        ObjectDisposedException.ThrowIf(finished, this);

        envelope.Id = Id;
        envelope.Size = content.Length;
        envelope.EightBit = content.EightBit;
        envelope.ContentSha256 = content.GetHashHex();
        if (envelope.ReceivedAt == default)
        {
            envelope.ReceivedAt = spool.Now;
        }

        finished = true;
        try
        {
            // The envelope record goes behind the content in the same buffered stream: for a
            // typical message content and record reach the disk in one write, then one fsync.
            await content.Inner.WriteAsync(SpoolRecord.Serialize(envelope, envelope.Size), cancellationToken).ConfigureAwait(false);
            content.Inner.Flush(flushToDisk: true);
            await content.DisposeAsync().ConfigureAwait(false);
            spool.Publish(Id, tempPath, target);
        }
        catch
        {
            try
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The disk failed already; the temp file goes below or with the temp cleanup.
            }

            DeleteTemp();
            throw;
        }
        finally
        {
            MessageSpool.ForgetTemp(tempPath);
        }
    }

    public async ValueTask AbortAsync()
    {
        if (finished)
        {
            return;
        }

        finished = true;
        await content.DisposeAsync().ConfigureAwait(false);
        DeleteTemp();
    }

    public ValueTask DisposeAsync() => AbortAsync();

    private void DeleteTemp()
    {
        try
        {
            File.Delete(tempPath);
            MessageSpool.ForgetTemp(tempPath);
        }
        catch (IOException)
        {
            // Left for the temp cleanup; an unpublished temp file is never delivered.
        }
    }
}
