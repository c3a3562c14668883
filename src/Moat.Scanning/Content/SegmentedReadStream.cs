namespace Moat.Scanning.Content;

/// <summary>
/// A read-only, seekable stream over bytes kept in several arrays one after the other (the first
/// <see cref="Length"/> bytes of them), so content spooled in memory is read back without first
/// being copied into one array.
/// </summary>
internal sealed class SegmentedReadStream : Stream
{
    private readonly byte[][] _segments;
    private readonly long _length;
    private long _position;

    public SegmentedReadStream(byte[][] segments, long length)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, segments.Sum(s => (long)s.Length));
        _segments = segments;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        // Segments are few (at most about twenty below the spool's memory threshold): a walk from the first is cheap.
        long segmentStart = 0;
        foreach (var segment in _segments)
        {
            if (buffer.IsEmpty || _position >= _length)
            {
                break;
            }

            var segmentEnd = Math.Min(segmentStart + segment.Length, _length);
            if (_position < segmentEnd)
            {
                var from = (int)(_position - segmentStart);
                var count = (int)Math.Min(buffer.Length, segmentEnd - _position);
                segment.AsSpan(from, count).CopyTo(buffer);
                buffer = buffer[count..];
                _position += count;
                total += count;
            }

            segmentStart += segment.Length;
        }

        return total;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
