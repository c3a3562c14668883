namespace Moat.Scanning.Content;

/// <summary>Collects decoded bytes in memory, switching to a temp file past the memory threshold.</summary>
internal sealed class SpoolWriter : IAsyncDisposable
{
    private readonly WalkSession _session;
    private MemoryStream? _memory = new();
    private FileStream? _file;
    private string? _fileName;

    public SpoolWriter(WalkSession session) => _session = session;

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_memory is not null && _memory.Length + data.Length > SpooledContent.MemoryThreshold)
        {
            _fileName = _session.CreateTempFile();
            _file = new FileStream(_fileName, FileMode.Create, FileAccess.Write, FileShare.Read, 81920, FileOptions.Asynchronous);
            _memory.Position = 0;
            await _memory.CopyToAsync(_file, cancellationToken);
            _memory = null;
        }

        if (_memory is not null)
        {
            _memory.Write(data.Span);
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
        if (_memory is not null)
        {
            return new MemoryStream(_memory.GetBuffer(), 0, (int)_memory.Length, writable: false);
        }

        await _file!.FlushAsync(cancellationToken);
        return new FileStream(_fileName!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
    }

    public async ValueTask<SpooledContent> CompleteAsync()
    {
        if (_memory is not null)
        {
            var bytes = _memory.ToArray();
            _memory = null;
            return SpooledContent.FromBytes(bytes);
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
}
