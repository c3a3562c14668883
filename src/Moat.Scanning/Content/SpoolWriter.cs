namespace Moat.Scanning.Content;

/// <summary>
/// Collects decoded bytes in memory, switching to a temp file past the memory threshold. In
/// memory the bytes go into arrays of growing size (1 KiB doubling up to 64 KiB, then 64 KiB
/// each) that are kept as they are: no array ever reaches the large object heap, nothing is
/// copied to grow, and the content is not copied again when it is complete. (A growing
/// <see cref="MemoryStream"/> plus its final copy allocated about five times a 1 MiB part on the
/// large object heap, which is only cleaned by full collections.)
/// </summary>
internal sealed class SpoolWriter : IAsyncDisposable
{
    private const int FirstSegment = 1024;
    private const int MaxSegment = 64 * 1024;

    private readonly WalkSession _session;
    private List<byte[]>? _segments = [];
    private int _lastUsed;
    private FileStream? _file;
    private string? _fileName;

    public SpoolWriter(WalkSession session) => _session = session;

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_segments is not null && Length + data.Length > SpooledContent.MemoryThreshold)
        {
            _fileName = _session.CreateTempFile();
            _file = new FileStream(_fileName, FileMode.Create, FileAccess.Write, FileShare.Read, 81920, FileOptions.Asynchronous);
            for (var i = 0; i < _segments.Count; i++)
            {
                var used = i == _segments.Count - 1 ? _lastUsed : _segments[i].Length;
                await _file.WriteAsync(_segments[i].AsMemory(0, used), cancellationToken);
            }

            _segments = null;
        }

        if (_segments is not null)
        {
            Append(data.Span);
        }
        else
        {
            await _file!.WriteAsync(data, cancellationToken);
        }

        Length += data.Length;
    }

    /// <summary>Reads back what has been written so far (an alternative decoding copies a shared prefix from it).</summary>
    public async ValueTask<Stream> OpenWrittenAsync(CancellationToken cancellationToken)
    {
        if (_segments is not null)
        {
            return new SegmentedReadStream([.. _segments], Length);
        }

        await _file!.FlushAsync(cancellationToken);
        return new FileStream(_fileName!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
    }

    public async ValueTask<SpooledContent> CompleteAsync()
    {
        if (_segments is not null)
        {
            var segments = _segments.ToArray();
            _segments = null;
            return SpooledContent.FromSegments(segments, Length);
        }

        await _file!.DisposeAsync();
        _file = null;
        return SpooledContent.FromFile(_fileName!, Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var segments = _segments!;
        while (!data.IsEmpty)
        {
            if (segments.Count == 0 || _lastUsed == segments[^1].Length)
            {
                segments.Add(new byte[segments.Count == 0 ? FirstSegment : Math.Min(MaxSegment, segments[^1].Length * 2)]);
                _lastUsed = 0;
            }

            var last = segments[^1];
            var count = Math.Min(data.Length, last.Length - _lastUsed);
            data[..count].CopyTo(last.AsSpan(_lastUsed));
            _lastUsed += count;
            data = data[count..];
        }
    }
}
