using System.Globalization;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Parses ClamAV's hex body syntax into <see cref="PatternElement"/>s: hex bytes, "??", nibble
/// wildcards "a?"/"?a", "*", gaps "{n}" "{n-}" "{-n}" "{n-m}", and alternatives "(aa|bbcc)" of
/// fixed byte strings. Syntax errors throw <see cref="FormatException"/>; valid ClamAV features we
/// do not implement (negated alternatives "!(…)", boundary anchors "(B)" "(L)" "(W)", wildcards
/// inside alternatives) throw <see cref="NotSupportedException"/> so the loader can skip the signature.
/// </summary>
internal static class HexPatternParser
{
    /// <summary>"*" and "{n-}" have no upper bound in ClamAV; we look at most this many bytes further.</summary>
    public const int OpenGapLimit = 64 * 1024;

    /// <summary>The longest gap we accept; longer ones would need an unbounded window.</summary>
    public const int MaxGap = 256 * 1024;

    public static PatternElement[] Parse(string hex, bool caseInsensitive)
    {
        if (hex.Length == 0)
        {
            throw new FormatException("empty hex pattern");
        }

        var elements = new List<PatternElement>();
        var i = 0;
        while (i < hex.Length)
        {
            var c = hex[i];
            if (c == '*')
            {
                AddGap(elements, 0, OpenGapLimit);
                i++;
            }
            else if (c == '{')
            {
                var end = hex.IndexOf('}', i);
                if (end < 0)
                {
                    throw new FormatException($"'{{' at position {i} has no closing '}}'");
                }

                var (min, max) = ParseGap(hex[(i + 1)..end]);
                AddGap(elements, min, max);
                i = end + 1;
            }
            else if (c == '!' && i + 1 < hex.Length && hex[i + 1] == '(')
            {
                throw new NotSupportedException("negated alternatives '!(…)' are not supported");
            }
            else if (c == '(')
            {
                var end = hex.IndexOf(')', i);
                if (end < 0)
                {
                    throw new FormatException($"'(' at position {i} has no closing ')'");
                }

                elements.Add(ParseAlternatives(hex[(i + 1)..end], caseInsensitive));
                i = end + 1;
            }
            else
            {
                if (i + 1 >= hex.Length)
                {
                    throw new FormatException($"odd number of hex digits at position {i}");
                }

                elements.Add(ParseByte(hex[i], hex[i + 1], i, caseInsensitive));
                i += 2;
            }
        }

        if (elements[0].Kind == PatternElementKind.Gap || elements[^1].Kind == PatternElementKind.Gap)
        {
            throw new FormatException("a pattern must not start or end with a gap or '*'");
        }

        return [.. elements];
    }

    private static void AddGap(List<PatternElement> elements, int min, int max)
    {
        // "{2}*" and "??{3}" are one gap; merging keeps the matcher's backtracking shallow.
        if (elements.Count > 0 && elements[^1].Kind == PatternElementKind.Gap)
        {
            var previous = elements[^1];
            elements[^1] = PatternElement.Gap(previous.MinGap + min, Math.Min(MaxGap, previous.MaxGap + max));
            return;
        }

        elements.Add(PatternElement.Gap(min, max));
    }

    private static (int Min, int Max) ParseGap(string text)
    {
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            var n = ParseGapNumber(text, text);
            return (n, n);
        }

        var left = text[..dash];
        var right = text[(dash + 1)..];
        if (left.Length == 0 && right.Length == 0)
        {
            throw new FormatException("gap '{-}' needs at least one bound");
        }

        var min = left.Length == 0 ? 0 : ParseGapNumber(left, text);
        var max = right.Length == 0 ? min + OpenGapLimit : ParseGapNumber(right, text);
        if (min > max)
        {
            throw new FormatException($"gap '{{{text}}}': lower bound {min} is above upper bound {max}");
        }

        return (min, Math.Min(max, MaxGap));
    }

    private static int ParseGapNumber(string number, string gap)
    {
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"gap '{{{gap}}}' is not '{{n}}', '{{n-}}', '{{-n}}' or '{{n-m}}'");
        }

        if (value > MaxGap)
        {
            throw new NotSupportedException($"gap '{{{gap}}}' is longer than the {MaxGap}-byte limit");
        }

        return value;
    }

    private static PatternElement ParseAlternatives(string body, bool caseInsensitive)
    {
        if (body is "B" or "L" or "W")
        {
            throw new NotSupportedException($"boundary anchor '({body})' is not supported");
        }

        var options = body.Split('|');
        if (options.Length < 2)
        {
            throw new FormatException($"alternatives '({body})' need at least two options separated by '|'");
        }

        var values = new byte[options.Length][];
        var masks = new byte[options.Length][];
        for (var o = 0; o < options.Length; o++)
        {
            var option = options[o];
            if (option.Length == 0 || option.Length % 2 != 0)
            {
                throw new FormatException($"alternative '{option}' in '({body})' must be a non-empty string of hex byte pairs");
            }

            values[o] = new byte[option.Length / 2];
            masks[o] = new byte[option.Length / 2];
            for (var k = 0; k < option.Length; k += 2)
            {
                if (option[k] == '?' || option[k + 1] == '?')
                {
                    throw new NotSupportedException($"wildcards inside alternatives '({body})' are not supported");
                }

                var element = ParseByte(option[k], option[k + 1], k, caseInsensitive);
                values[o][k / 2] = element.Value;
                masks[o][k / 2] = element.Mask;
            }
        }

        return PatternElement.Alternatives(values, masks);
    }

    private static PatternElement ParseByte(char high, char low, int position, bool caseInsensitive)
    {
        if (high == '?' && low == '?')
        {
            return PatternElement.Byte(0, 0);
        }

        if (high == '?')
        {
            return PatternElement.Byte((byte)Nibble(low, position + 1), 0x0F);
        }

        if (low == '?')
        {
            return PatternElement.Byte((byte)(Nibble(high, position) << 4), 0xF0);
        }

        var value = (byte)((Nibble(high, position) << 4) | Nibble(low, position + 1));
        // Case-insensitive ("::i"): an ASCII letter matches with bit 0x20 (the case bit) ignored.
        return caseInsensitive && char.IsAsciiLetter((char)value) ? PatternElement.Byte(value, 0xDF) : PatternElement.Byte(value, 0xFF);
    }

    private static int Nibble(char c, int position) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => throw new FormatException($"'{c}' at position {position} is not a hex digit or pattern syntax"),
    };
}
