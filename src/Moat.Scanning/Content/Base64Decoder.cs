namespace Moat.Scanning.Content;

/// <summary>
/// A lenient base64 decoder fed line by line, following one <see cref="Base64Variant"/>. All
/// variants agree on clean base64, padding at the end of a line included; they differ only on junk
/// and on '=' with more data after it.
/// </summary>
internal sealed class Base64Decoder : ILineDecoder
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static readonly sbyte[] Values = BuildValues();

    private readonly Base64Variant _variant;
    private int _bits;
    private int _count;
    private bool _stopped;

    public Base64Decoder(Base64Variant variant) => _variant = variant;

    public static bool IsAlphabet(char c) => c < 128 && Values[c] >= 0;

    public void Decode(string line, List<byte> output)
    {
        if (_stopped)
        {
            return;
        }

        var cutsLine = _variant is Base64Variant.PerLine or Base64Variant.CutLineAtJunk;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (IsAlphabet(c))
            {
                Add(Values[c], output);
                continue;
            }

            if (c is ' ' or '\t')
            {
                continue;
            }

            if (c != '=')
            {
                if (cutsLine)
                {
                    break;
                }

                continue;
            }

            if (!MoreDataFollows(line, i))
            {
                // Padding at the end of a line closes the group, as every decoder agrees.
                FlushPartial(output);
                _stopped = _variant == Base64Variant.StopAtPadding;
                break;
            }

            switch (_variant)
            {
                case Base64Variant.PaddingAsZero:
                    Add(0, output);
                    break;
                case Base64Variant.PaddingEndsGroup when _count >= 2:
                    FlushPartial(output);
                    break;
                case Base64Variant.StopAtPadding:
                    FlushPartial(output);
                    _stopped = true;
                    return;
                case Base64Variant.PerLine or Base64Variant.CutLineAtJunk:
                    FlushPartial(output);
                    i = line.Length;
                    break;
            }
        }

        if (_variant == Base64Variant.PerLine)
        {
            Reset();
        }
    }

    public void Finish(List<byte> output)
    {
        if (!_stopped)
        {
            FlushPartial(output);
        }
    }

    public bool SameStateAs(ILineDecoder other) =>
        other is Base64Decoder o && o._bits == _bits && o._count == _count && o._stopped == _stopped;

    public void CopyStateFrom(ILineDecoder other)
    {
        var o = (Base64Decoder)other;
        _bits = o._bits;
        _count = o._count;
        _stopped = o._stopped;
    }

    /// <summary>
    /// A line every variant decodes alike, ending in the same state, from this decoder's state: at a
    /// group boundary, only alphabet characters in whole groups (padding makes the variants' states differ).
    /// </summary>
    public static bool AllVariantsAgree(ILineDecoder primary, string line)
    {
        var decoder = (Base64Decoder)primary;
        if (decoder._count != 0 || decoder._stopped)
        {
            return false;
        }

        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t')
        {
            end--;
        }

        for (var i = 0; i < end; i++)
        {
            if (!IsAlphabet(line[i]))
            {
                return false;
            }
        }

        return end % 4 == 0;
    }

    private void Add(int value, List<byte> output)
    {
        _bits = _bits << 6 | value;
        if (++_count == 4)
        {
            output.Add((byte)(_bits >> 16));
            output.Add((byte)(_bits >> 8));
            output.Add((byte)_bits);
            Reset();
        }
    }

    /// <summary>Writes what a partial group holds (two characters make one byte, three make two).</summary>
    private void FlushPartial(List<byte> output)
    {
        if (_count == 2)
        {
            output.Add((byte)(_bits >> 4));
        }
        else if (_count == 3)
        {
            output.Add((byte)(_bits >> 10));
            output.Add((byte)(_bits >> 2));
        }

        Reset();
    }

    private static bool MoreDataFollows(string line, int index)
    {
        for (var i = index + 1; i < line.Length; i++)
        {
            if (IsAlphabet(line[i]))
            {
                return true;
            }
        }

        return false;
    }

    private void Reset()
    {
        _bits = 0;
        _count = 0;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
