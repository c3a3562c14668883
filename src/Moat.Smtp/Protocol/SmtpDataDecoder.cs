namespace Moat.Smtp.Protocol;

/// <summary>
/// Decodes DATA content as it arrives: removes dot-stuffing (RFC 5321 §4.5.2) and finds the
/// end of data. Only CRLF "." CRLF ends the data: a dot between bare LFs or bare CRs does not,
/// which defeats SMTP smuggling (CVE-2023-51764 and its kin), and any bare CR or LF is flagged
/// so the server can refuse the message. The CRLF before the final dot belongs to the message.
/// The decoder holds no message bytes itself: memory stays bounded whatever the input.
/// </summary>
public sealed class SmtpDataDecoder
{
    private enum State
    {
        LineStart,
        Dot,
        DotCr,
        Middle,
        Cr,
    }

    // DATA content starts right after the CRLF that ended the DATA command line.
    private State _state = State.LineStart;

    /// <summary>The terminating CRLF "." CRLF has been seen.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>A CR not followed by LF, or an LF not preceded by CR, was seen.</summary>
    public bool HasBareLineEnding { get; private set; }

    /// <summary>
    /// Decodes bytes from <paramref name="input"/> into <paramref name="output"/> (at least as
    /// long as the input) and returns how many input bytes were used; it stops right after the
    /// end-of-data line, so bytes after it (pipelined commands) are left unconsumed.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("The output must be at least as long as the input.", nameof(output));
        }

        written = 0;
        var i = 0;
        while (i < input.Length && !IsComplete)
        {
            if (_state == State.Middle)
            {
                // Copy the plain run up to the next line-ending byte in one go.
                var run = input[i..].IndexOfAny((byte)'\r', (byte)'\n');
                var length = run < 0 ? input.Length - i : run;
                input.Slice(i, length).CopyTo(output[written..]);
                written += length;
                i += length;
                if (i == input.Length)
                {
                    break;
                }
            }

            Step(input[i], output, ref written);
            i++;
        }

        return i;
    }

    private void Step(byte b, Span<byte> output, ref int written)
    {
        switch (_state)
        {
            case State.LineStart when b == '.':
                _state = State.Dot;
                return;
            case State.Dot when b == '\r':
                _state = State.DotCr;
                return;
            case State.Dot:
                // A leading dot on a line with more on it is stuffing: drop it.
                _state = State.Middle;
                Step(b, output, ref written);
                return;
            case State.DotCr when b == '\n':
                IsComplete = true;
                return;
            case State.DotCr:
                // A bare CR: the message will be refused, so the held CR need not be written
                // (and not writing it keeps the output no longer than the input).
                HasBareLineEnding = true;
                _state = State.Middle;
                Step(b, output, ref written);
                return;
            case State.Cr when b == '\n':
                output[written++] = b;
                _state = State.LineStart;
                return;
            case State.Cr:
                HasBareLineEnding = true;
                _state = State.Middle;
                Step(b, output, ref written);
                return;
        }

        // LineStart or Middle with an ordinary byte, CR or LF.
        output[written++] = b;
        if (b == '\r')
        {
            _state = State.Cr;
        }
        else
        {
            if (b == '\n')
            {
                HasBareLineEnding = true;
            }

            _state = State.Middle;
        }
    }
}
