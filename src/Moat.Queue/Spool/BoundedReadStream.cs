namespace Moat.Queue.Spool;

/// <summary>
/// The first <c>length</c> bytes of a seekable stream, read-only: the content of a queue file
/// without the envelope records behind it, so that every reader that reads "to the end" (DSNs,
/// Maildir copies, downloads) sees exactly the message.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long length) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Limit(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        Sync();
        var read = inner.Read(buffer[..count]);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Limit(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        Sync();
        var read = await inner.ReadAsync(buffer[..count], cancellationToken).ConfigureAwait(false);
        position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        position = target;
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Limit(int requested) => (int)Math.Clamp(length - position, 0, requested);

    // Our position is the truth; the inner stream only follows it when they differ (after a Seek).
    private void Sync()
    {
        if (inner.Position != position)
        {
            inner.Position = position;
        }
    }
}
