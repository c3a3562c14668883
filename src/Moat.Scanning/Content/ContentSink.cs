using System.Security.Cryptography;

namespace Moat.Scanning.Content;

/// <summary>Receives one object's decoded bytes: spools them, hashes them and enforces the size limits.</summary>
internal sealed class ContentSink : IAsyncDisposable
{
    private readonly WalkSession _session;
    private readonly string _path;
    private readonly long _memberCap;
    private readonly long? _compressedLength;
    private readonly SpoolWriter _writer;
    // Made on the first byte: many sinks (alternative decodings given up at once) never get one.
    private IncrementalHash? _hash;
    private bool _full;

    public ContentSink(WalkSession session, string path, long memberCap, long? compressedLength)
    {
        _session = session;
        _path = path;
        _memberCap = memberCap;
        _compressedLength = compressedLength;
        _writer = new SpoolWriter(session);
    }

    public long Length => _writer.Length;

    /// <summary>Set when the source broke off; the content is what could be read.</summary>
    public bool Incomplete { get; set; }

    /// <summary>Writes the bytes, or returns false (and writes nothing more, ever) once a limit is reached.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_full)
        {
            return false;
        }

        if (data.Length == 0)
        {
            return true;
        }

        var allowed = (int)_session.Allowance(_writer.Length, data.Length, _memberCap, _path, _compressedLength);
        if (allowed > 0)
        {
            await _writer.WriteAsync(data[..allowed], cancellationToken);
            (_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(data.Span[..allowed]);
            _session.AddTotal(allowed);
        }

        if (allowed < data.Length)
        {
            // What fits is kept: engines still see the start of a bomb or an oversized file.
            _full = true;
            Incomplete = true;
            return false;
        }

        return true;
    }

    public ValueTask<Stream> OpenWrittenAsync(CancellationToken cancellationToken) => _writer.OpenWrittenAsync(cancellationToken);

    public async ValueTask<CopyResult> CompleteAsync()
    {
        var content = await _writer.CompleteAsync();
        var hash = _hash is null ? SHA256.HashData(ReadOnlySpan<byte>.Empty) : _hash.GetHashAndReset();
        return new CopyResult(content, Convert.ToHexString(hash), !Incomplete);
    }

    public async ValueTask DisposeAsync()
    {
        _hash?.Dispose();
        await _writer.DisposeAsync();
    }
}
