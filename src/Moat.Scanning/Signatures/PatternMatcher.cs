namespace Moat.Scanning.Signatures;

/// <summary>
/// Checks whether a pattern matches at one position: the exact step after an anchor hit.
/// Backtracking over gaps and alternatives. Two things keep a hostile object from making this
/// expensive: positions already known not to continue a match are remembered (so nested gaps
/// cost at most elements × positions, not an exponential number of paths), and every step and
/// every searched byte is charged to a work budget. When the budget runs out the answer is
/// "undecided" (null), never "no match": the engine then reports an error instead of "clean".
/// </summary>
internal static class PatternMatcher
{
    /// <summary>Most work one verification may do.</summary>
    public const long StepBudget = 2_000_000;

    /// <summary>Steps after which failed positions start being remembered (most verifications never get there).</summary>
    private const long MemoAfter = 1_000;

    /// <summary>True or false when decided; null when <paramref name="work"/> (the scan's remaining budget, decreased here) or the per-verification budget ran out.</summary>
    public static bool? MatchesAt(PatternElement[] elements, ReadOnlySpan<byte> data, int position, ref long work)
    {
        var initial = Math.Min(work, StepBudget);
        var budget = initial;
        MatchMemo? memo = null;
        var matched = Match(elements, 0, data, position, ref budget, ref memo);
        work -= initial - Math.Max(budget, 0);
        if (budget < 0)
        {
            work = Math.Min(work, -1);
            return null;
        }

        return matched;
    }

    private static bool Match(PatternElement[] elements, int index, ReadOnlySpan<byte> data, int position, ref long budget, ref MatchMemo? memo)
    {
        if (memo is not null && memo.HasFailed(index, position))
        {
            return false;
        }

        var matched = MatchFrom(elements, index, data, position, ref budget, ref memo);
        if (!matched && budget >= 0 && index > 0)
        {
            if (memo is null && StepBudget - budget > MemoAfter)
            {
                memo = new MatchMemo();
            }

            memo?.AddFailed(index, position);
        }

        return matched;
    }

    private static bool MatchFrom(PatternElement[] elements, int index, ReadOnlySpan<byte> data, int position, ref long budget, ref MatchMemo? memo)
    {
        while (index < elements.Length)
        {
            var element = elements[index];
            switch (element.Kind)
            {
                case PatternElementKind.Byte:
                    if (position >= data.Length || !element.Matches(data[position]))
                    {
                        return false;
                    }

                    position++;
                    index++;
                    break;

                case PatternElementKind.Alternatives:
                    for (var o = 0; o < element.OptionValues.Length; o++)
                    {
                        if (--budget < 0)
                        {
                            return false;
                        }

                        if (OptionMatches(element.OptionValues[o], element.OptionMasks[o], data, position)
                            && Match(elements, index + 1, data, position + element.OptionValues[o].Length, ref budget, ref memo))
                        {
                            return true;
                        }
                    }

                    return false;

                default:
                    return MatchGap(elements, index, data, position, ref budget, ref memo);
            }
        }

        return true;
    }

    private static bool MatchGap(PatternElement[] elements, int index, ReadOnlySpan<byte> data, int position, ref long budget, ref MatchMemo? memo)
    {
        var gap = elements[index];
        var first = (long)position + gap.MinGap;
        var last = Math.Min((long)position + gap.MaxGap, data.Length - 1L);
        // A gap is never last (the parser rejects it), so the next element exists. When it is an
        // exact byte, jump straight to its occurrences instead of trying every gap length.
        var next = elements[index + 1];
        var exact = next.Kind == PatternElementKind.Byte && next.Mask == 0xFF;
        var candidate = first;
        while (candidate <= last)
        {
            if (memo is not null)
            {
                candidate = memo.SkipFailed(index, candidate);
                if (candidate > last)
                {
                    break;
                }
            }

            if (exact)
            {
                var length = (int)(last - candidate + 1);
                var found = data.Slice((int)candidate, length).IndexOf(next.Value);
                // Searching is vectorised: charge one unit per 64 bytes looked at.
                budget -= ((found < 0 ? length : found) >> 6) + 1;
                if (found < 0)
                {
                    break;
                }

                candidate += found;
            }

            if (--budget < 0)
            {
                return false;
            }

            if (Match(elements, index + 1, data, (int)candidate, ref budget, ref memo))
            {
                return true;
            }

            candidate++;
        }

        if (budget >= 0 && first <= last)
        {
            memo?.AddFailedRange(index, first, last);
        }

        return false;
    }

    private static bool OptionMatches(byte[] values, byte[] masks, ReadOnlySpan<byte> data, int position)
    {
        if (position + values.Length > data.Length)
        {
            return false;
        }

        for (var k = 0; k < values.Length; k++)
        {
            if ((data[position + k] & masks[k]) != values[k])
            {
                return false;
            }
        }

        return true;
    }
}
