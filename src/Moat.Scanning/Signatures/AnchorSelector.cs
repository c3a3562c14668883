namespace Moat.Scanning.Signatures;

/// <summary>
/// Chooses a pattern's anchor: the best run of fixed bytes (exact, or case-folded letters with
/// at most <see cref="MaxVariants"/> spellings), at most <see cref="MaxLength"/> bytes long
/// (longer anchors cost automaton states without making hits rarer in practice), in a place
/// whose distance from the pattern start varies by at most <see cref="MaxSlack"/> bytes (each
/// hit is verified at every possible start). Common filler bytes (00, FF, 20, 90) count half,
/// so "00 00 00 00" does not win over rarer bytes.
/// </summary>
internal static class AnchorSelector
{
    public const int MinLength = 2;
    public const int MaxLength = 8;
    public const int MaxVariants = 16;
    public const int MaxSlack = 256;

    public static PatternAnchor? Select(PatternElement[] elements)
    {
        var bestStart = -1;
        var bestLength = 0;
        var bestScore = 0.0;
        var bestVariants = 0;
        long bestMin = 0, bestMax = 0;
        long min = 0, max = 0;
        for (var i = 0; i < elements.Length; i++)
        {
            if (max - min <= MaxSlack)
            {
                var length = 0;
                var variants = 1;
                var score = 0.0;
                while (i + length < elements.Length && length < MaxLength)
                {
                    var element = elements[i + length];
                    if (element.Kind != PatternElementKind.Byte || element.Variants > 2 || variants * element.Variants > MaxVariants)
                    {
                        break;
                    }

                    variants *= element.Variants;
                    score += element.Value is 0x00 or 0xFF or 0x20 or 0x90 ? 0.5 : 1.0;
                    length++;
                }

                if (length >= MinLength && (score > bestScore || (score == bestScore && variants < bestVariants)))
                {
                    (bestStart, bestLength, bestScore, bestVariants, bestMin, bestMax) = (i, length, score, variants, min, max);
                }
            }

            min += elements[i].MinLength;
            max += elements[i].MaxLength;
        }

        if (bestStart < 0)
        {
            return null;
        }

        IEnumerable<byte[]> spellings = [[]];
        for (var k = 0; k < bestLength; k++)
        {
            var element = elements[bestStart + k];
            spellings = spellings.SelectMany(prefix => element.AcceptedBytes().Select(b => (byte[])[.. prefix, b])).ToArray();
        }

        return new PatternAnchor([.. spellings], bestLength, bestMin, bestMax);
    }
}
