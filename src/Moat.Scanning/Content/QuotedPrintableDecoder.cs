namespace Moat.Scanning.Content;

/// <summary>A lenient quoted-printable decoder fed line by line, following one <see cref="QuotedPrintableReading"/>.</summary>
internal sealed class QuotedPrintableDecoder(QuotedPrintableReading reading) : ILineDecoder
{
    private int _pendingBreaks;
    private bool _lineHasBreak;

    public void Decode(string line, List<byte> output)
    {
        // A hard line break is written only once more data follows: the last one belongs to the boundary.
        if (_lineHasBreak)
        {
            _pendingBreaks++;
        }

        // Trailing white space is transport padding; a soft break ('=' at the end) joins the next line.
        var text = line.TrimEnd(' ', '\t');
        if (reading.DroppedAfterEquals == 1 && text.Length >= 2 && text[^2] == '=' && text[^1] != '=')
        {
            // A junk pair at the very end ("=0") would hide the soft break before it.
            text = text[..^2];
        }

        _lineHasBreak = !text.EndsWith('=');
        if (!_lineHasBreak)
        {
            text = text[..^1];
        }

        for (var i = 0; i < text.Length; i++)
        {
            WriteBreaks(output);
            var c = text[i];
            if (c != '=')
            {
                output.Add((byte)c);
                continue;
            }

            if (i + 2 < text.Length && reading.IsHex(text[i + 1]) && reading.IsHex(text[i + 2]))
            {
                output.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            if (reading.KeepBrokenEquals)
            {
                output.Add((byte)'=');
                continue;
            }

            // "==a03": a junk pair "=a" pushed into the middle of the escape "=03".
            if (reading.DropBrokenEscape && reading.DroppedAfterEquals == 1 && i + 4 < text.Length && text[i + 1] == '='
                && !reading.IsHex(text[i + 2]) && reading.IsHex(text[i + 3]) && reading.IsHex(text[i + 4]))
            {
                output.Add(Convert.ToByte(text.Substring(i + 3, 2), 16));
                i += 4;
                continue;
            }

            if (reading.DropBrokenEscape)
            {
                for (var skipped = 0; skipped < reading.DroppedAfterEquals && i + 1 < text.Length && text[i + 1] != '='; skipped++)
                {
                    i++;
                }

                continue;
            }

            // Lenient readers skip white space after a stray '='.
            while (i + 1 < text.Length && text[i + 1] is ' ' or '\t')
            {
                i++;
            }
        }
    }

    public void Finish(List<byte> output)
    {
    }

    public bool SameStateAs(ILineDecoder other) =>
        other is QuotedPrintableDecoder o && o._pendingBreaks == _pendingBreaks && o._lineHasBreak == _lineHasBreak;

    public void CopyStateFrom(ILineDecoder other)
    {
        var o = (QuotedPrintableDecoder)other;
        _pendingBreaks = o._pendingBreaks;
        _lineHasBreak = o._lineHasBreak;
    }

    private void WriteBreaks(List<byte> output)
    {
        for (; _pendingBreaks > 0; _pendingBreaks--)
        {
            if (!reading.BareLineFeeds)
            {
                output.Add((byte)'\r');
            }

            output.Add((byte)'\n');
        }
    }
}
