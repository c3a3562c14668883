namespace Moat.Scanning.Content;

/// <summary>
/// Decoded bytes of one object: kept in memory while small, moved to a temp file once they grow past
/// <see cref="MemoryThreshold"/>, so a large attachment never sits whole in memory. The temp file
/// belongs to the walk that made it and is deleted when that walk ends.
/// </summary>
internal sealed class SpooledContent
{
    public const int MemoryThreshold = 1 << 20;

    private readonly byte[]? _bytes;
    private readonly string? _file;
    private readonly long _offset;

    private SpooledContent(byte[]? bytes, string? file, long offset, long length)
    {
        _bytes = bytes;
        _file = file;
        _offset = offset;
        Length = length;
    }

    public long Length { get; }

    public static SpooledContent FromBytes(byte[] bytes) => new(bytes, null, 0, bytes.Length);

    public static SpooledContent FromFile(string file, long length) => new(null, file, 0, length);

    /// <summary>The bytes when they are held in memory (content up to the memory threshold), else null.</summary>
    public ReadOnlyMemory<byte>? Memory => _bytes is null ? null : _bytes.AsMemory((int)_offset, (int)Length);

    /// <summary>The same in-memory bytes from <paramref name="offset"/> on, without a copy (content carved out of junk).</summary>
    public SpooledContent Slice(int offset)
    {
        if (_bytes is null || offset < 0 || offset > Length)
        {
            throw new InvalidOperationException("Only in-memory content can be sliced, within its length.");
        }

        return new(_bytes, null, _offset + offset, Length - offset);
    }

    public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_bytes is not null)
        {
            return ValueTask.FromResult<Stream>(new MemoryStream(_bytes, (int)_offset, (int)Length, writable: false));
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
}
