using System.Text;

namespace Moat.Scanning.Content;

/// <summary>
/// Reads lines as Latin-1 (one char per byte, so binary survives) ending at LF, CRLF or a lone CR.
/// A line longer than <see cref="MaxLineLength"/> is returned in pieces: hostile input cannot make
/// one line eat the memory.
/// </summary>
internal sealed class BoundedLineReader
{
    public const int MaxLineLength = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[81920];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _count;
    private bool _pendingCr;
    private bool _end;

    public BoundedLineReader(Stream stream) => _stream = stream;

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        while (true)
        {
            if (_position == _count)
            {
                if (_end)
                {
                    _pendingCr = false;
                    return _line.Length > 0 ? Take() : null;
                }

                _count = await _stream.ReadAsync(_buffer, cancellationToken);
                _position = 0;
                if (_count == 0)
                {
                    _end = true;
                    continue;
                }
            }

            var b = _buffer[_position];
            if (_pendingCr)
            {
                // CR ended the previous line; swallow the LF of a CRLF pair.
                _pendingCr = false;
                if (b == (byte)'\n')
                {
                    _position++;
                }

                continue;
            }

            _position++;
            if (b == (byte)'\n')
            {
                return Take();
            }

            if (b == (byte)'\r')
            {
                _pendingCr = true;
                return Take();
            }

            _line.Append((char)b);
            if (_line.Length >= MaxLineLength)
            {
                return Take();
            }
        }
    }

    private string Take()
    {
        var line = _line.ToString();
        _line.Clear();
        return line;
    }
}
