using System.Buffers;

namespace Moat.Smtp.Protocol;

/// <summary>
/// Cuts command lines out of received bytes. Only CRLF ends a line (a bare LF or CR is part of
/// the line, so it cannot be used to split commands). A line longer than the limit is thrown
/// away as it arrives, never buffered, and reported once its CRLF comes.
/// </summary>
public sealed class SmtpLineReader
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    private readonly int _maxLength;
    private bool _discarding;

    /// <param name="maxLength">The longest line accepted, CRLF included.</param>
    public SmtpLineReader(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        _maxLength = maxLength;
    }

    /// <summary>
    /// Reads one line from the start of <paramref name="buffer"/>, which is advanced past what
    /// was consumed (the line and its CRLF, or discarded bytes of an over-long line).
    /// </summary>
    public SmtpLineStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discarding)
        {
            return Discard(ref buffer);
        }

        var window = buffer.Length > _maxLength ? buffer.Slice(0, _maxLength) : buffer;
        var reader = new SequenceReader<byte>(window);
        if (reader.TryReadTo(out line, CrLf))
        {
            buffer = buffer.Slice(reader.Position);
            return SmtpLineStatus.Line;
        }

        if (buffer.Length < _maxLength)
        {
            return SmtpLineStatus.NeedMoreData;
        }

        _discarding = true;
        return Discard(ref buffer);
    }

    private SmtpLineStatus Discard(ref ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, CrLf))
        {
            buffer = buffer.Slice(reader.Position);
            _discarding = false;
            return SmtpLineStatus.TooLong;
        }

        // Keep a trailing CR: it may be the first half of the CRLF that ends the line.
        var keep = !buffer.IsEmpty && EndsWithCr(buffer) ? 1 : 0;
        buffer = buffer.Slice(buffer.Length - keep);
        return SmtpLineStatus.NeedMoreData;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> buffer) =>
        buffer.Slice(buffer.Length - 1).FirstSpan[0] == (byte)'\r';
}
