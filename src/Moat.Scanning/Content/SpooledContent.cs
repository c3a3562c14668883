namespace Moat.Scanning.Content;

/// <summary>
/// Decoded bytes of one object: kept in memory while small, moved to a temp file once they grow past
/// <see cref="MemoryThreshold"/>, so a large attachment never sits whole in memory. In memory they
/// stay in the arrays <see cref="SpoolWriter"/> wrote them to (none on the large object heap). The
/// temp file belongs to the walk that made it and is deleted when that walk ends.
/// </summary>
internal sealed class SpooledContent
{
    public const int MemoryThreshold = 1 << 20;

    private readonly byte[]? _bytes;
    private readonly byte[][]? _segments;
    private readonly string? _file;
    private readonly long _offset;

    private SpooledContent(byte[]? bytes, byte[][]? segments, string? file, long offset, long length)
    {
        _bytes = bytes;
        _segments = segments;
        _file = file;
        _offset = offset;
        Length = length;
    }

    public long Length { get; }

    public static SpooledContent FromBytes(byte[] bytes) => new(bytes, null, null, 0, bytes.Length);

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="segments"/>, one after the other.</summary>
    public static SpooledContent FromSegments(byte[][] segments, long length) => new(null, segments, null, 0, length);

    public static SpooledContent FromFile(string file, long length) => new(null, null, file, 0, length);

    /// <summary>
    /// The bytes when they are held in memory (content up to the memory threshold), else null.
    /// Content in several segments is copied into one array here (only the rare carving of a zip
    /// out of junk needs it).
    /// </summary>
    public ReadOnlyMemory<byte>? Memory
    {
        get
        {
            if (_bytes is not null)
            {
                return _bytes.AsMemory((int)_offset, (int)Length);
            }

            if (_segments is null)
            {
                return null;
            }

            return _segments.Length == 1 ? _segments[0].AsMemory(0, (int)Length) : Flatten();
        }
    }

    /// <summary>The same in-memory bytes from <paramref name="offset"/> on (content carved out of junk).</summary>
    public SpooledContent Slice(int offset)
    {
        if (_file is not null || offset < 0 || offset > Length)
        {
            throw new InvalidOperationException("Only in-memory content can be sliced, within its length.");
        }

        return _bytes is not null ? new(_bytes, null, null, _offset + offset, Length - offset) : new(Flatten(), null, null, offset, Length - offset);
    }

    public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_bytes is not null)
        {
            return ValueTask.FromResult<Stream>(new MemoryStream(_bytes, (int)_offset, (int)Length, writable: false));
        }

        if (_segments is not null)
        {
            return ValueTask.FromResult<Stream>(new SegmentedReadStream(_segments, Length));
        }

        Stream file = new FileStream(_file!, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        return ValueTask.FromResult(file);
    }

    private byte[] Flatten()
    {
        var bytes = new byte[Length];
        var done = 0;
        foreach (var segment in _segments!)
        {
            var count = (int)Math.Min(segment.Length, Length - done);
            segment.AsSpan(0, count).CopyTo(bytes.AsSpan(done));
            done += count;
            if (done == Length)
            {
                break;
            }
        }

        return bytes;
    }
}
