using System.Buffers;
using System.Text;

namespace Moat.Smtp.Protocol;

/// <summary>
/// Cuts command lines out of received bytes. Only CRLF ends a line (a bare LF or CR is part of
/// the line, so it cannot be used to split commands). A line longer than the limit is thrown
/// away as it arrives, never buffered, and reported once its CRLF comes. AUTH lines may have
/// a larger bound of their own (RFC 4954 §4 allows them 12288 octets).
/// </summary>
public sealed class SmtpLineReader
{
    /// <summary>RFC 4954 §4: the AUTH command and the lines of its exchange may be this long, CRLF included.</summary>
    public const int AuthLineLength = 12288;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    private static ReadOnlySpan<byte> AuthPrefix => "AUTH "u8;

    private readonly int _maxLength;
    private readonly int _authMaxLength;
    private bool _discarding;

    /// <param name="maxLength">The longest line accepted, CRLF included.</param>
    /// <param name="authMaxLength">
    /// The longest AUTH command line or AUTH response line accepted, CRLF included; never less
    /// than <paramref name="maxLength"/>. Zero gives AUTH lines no bound of their own.
    /// </param>
    public SmtpLineReader(int maxLength, int authMaxLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(authMaxLength);
        _maxLength = maxLength;
        _authMaxLength = Math.Max(maxLength, authMaxLength);
    }

    /// <summary>
    /// Reads one line from the start of <paramref name="buffer"/>, which is advanced past what
    /// was consumed (the line and its CRLF, or discarded bytes of an over-long line).
    /// </summary>
    /// <param name="authResponse">The line answers a 334 challenge, so the AUTH bound applies.</param>
    public SmtpLineStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line, bool authResponse = false)
    {
        line = default;
        if (_discarding)
        {
            return Discard(ref buffer);
        }

        var limit = authResponse || StartsWithAuth(buffer) ? _authMaxLength : _maxLength;
        var window = buffer.Length > limit ? buffer.Slice(0, limit) : buffer;
        var reader = new SequenceReader<byte>(window);
        if (reader.TryReadTo(out line, CrLf))
        {
            buffer = buffer.Slice(reader.Position);
            return SmtpLineStatus.Line;
        }

        if (buffer.Length < limit)
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

    // Only an AUTH command earns the larger bound; until its first five bytes have arrived the
    // ordinary one applies.
    private bool StartsWithAuth(ReadOnlySequence<byte> buffer)
    {
        if (_authMaxLength == _maxLength || buffer.Length < AuthPrefix.Length)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[AuthPrefix.Length];
        buffer.Slice(0, AuthPrefix.Length).CopyTo(head);
        return Ascii.EqualsIgnoreCase(head, AuthPrefix);
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> buffer) =>
        buffer.Slice(buffer.Length - 1).FirstSpan[0] == (byte)'\r';
}
