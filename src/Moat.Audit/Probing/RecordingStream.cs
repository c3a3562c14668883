namespace Moat.Audit.Probing;

/// <summary>
/// Passes bytes through and, once <see cref="StartRecording"/> is called, keeps the first few
/// hundred written and read. The legacy-TLS probe reads them to tell "our TLS library refused to
/// offer TLS 1.0" (no ClientHello went out) from "the server refused it" (an alert came back).
/// </summary>
internal sealed class RecordingStream : Stream
{
    public const int Capacity = 512;

    private readonly Stream _inner;
    private readonly List<byte> _written = [];
    private readonly List<byte> _read = [];
    private bool _recording;

    public RecordingStream(Stream inner)
    {
        _inner = inner;
    }

    public IReadOnlyList<byte> BytesWritten => _written;

    public IReadOnlyList<byte> BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void StartRecording()
    {
        _written.Clear();
        _read.Clear();
        _recording = true;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        Keep(_read, buffer.AsSpan(offset, n));
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(_read, buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Keep(_written, buffer.AsSpan(offset, count));
        _inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(_written, buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Keep(List<byte> into, ReadOnlySpan<byte> bytes)
    {
        if (!_recording)
        {
            return;
        }

        var room = Capacity - into.Count;
        if (room > 0)
        {
            into.AddRange(bytes[..Math.Min(room, bytes.Length)]);
        }
    }
}
