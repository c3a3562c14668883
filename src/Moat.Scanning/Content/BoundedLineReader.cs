using System.Buffers;
using System.Text;

namespace Moat.Scanning.Content;

/// <summary>
/// Reads lines as Latin-1 (one char per byte, so binary survives) ending at LF, CRLF or a lone CR.
/// A line longer than <see cref="MaxLineLength"/> is returned in pieces: hostile input cannot make
/// one line eat the memory. Lines are found with a vectorised search and made into strings
/// straight from the read buffer; the buffers are pooled (every part body and every raw message
/// is read this way, so per-reader arrays were a large share of a small message's garbage).
/// </summary>
internal sealed class BoundedLineReader : IDisposable
{
    public const int MaxLineLength = 64 * 1024;

    private const int BufferSize = 16 * 1024;

    private readonly Stream _stream;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    // The start of a line that runs past the end of the buffer; rented only when one does.
    private byte[]? _partial;
    private int _partialLength;
    private int _position;
    private int _count;
    private bool _pendingCr;
    private bool _end;

    public BoundedLineReader(Stream stream) => _stream = stream;

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        _partialLength = 0;
        while (true)
        {
            if (_position == _count)
            {
                if (_end)
                {
                    _pendingCr = false;
                    return _partialLength > 0 ? Take([]) : null;
                }

                _count = await _stream.ReadAsync(_buffer.AsMemory(0, BufferSize), cancellationToken);
                _position = 0;
                if (_count == 0)
                {
                    _end = true;
                }

                continue;
            }

            if (_pendingCr)
            {
                // CR ended the previous line; swallow the LF of a CRLF pair.
                _pendingCr = false;
                if (_buffer[_position] == (byte)'\n')
                {
                    _position++;
                }

                continue;
            }

            var available = _buffer.AsSpan(_position, _count - _position);
            var window = available[..Math.Min(available.Length, MaxLineLength - _partialLength)];
            var end = window.IndexOfAny((byte)'\n', (byte)'\r');
            if (end >= 0)
            {
                _pendingCr = window[end] == (byte)'\r';
                _position += end + 1;
                return Take(window[..end]);
            }

            _position += window.Length;
            if (_partialLength + window.Length >= MaxLineLength)
            {
                return Take(window);
            }

            _partial ??= ArrayPool<byte>.Shared.Rent(MaxLineLength);
            window.CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += window.Length;
        }
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_partial is not null)
        {
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = null;
        }
    }

    /// <summary>The line: what is kept from earlier buffers, then <paramref name="rest"/>.</summary>
    private string Take(ReadOnlySpan<byte> rest)
    {
        if (_partialLength == 0)
        {
            return Encoding.Latin1.GetString(rest);
        }

        // The window never lets a line grow past MaxLineLength, so the rest fits behind the kept part.
        var partial = _partial!;
        rest.CopyTo(partial.AsSpan(_partialLength));
        return Encoding.Latin1.GetString(partial, 0, _partialLength + rest.Length);
    }
}
