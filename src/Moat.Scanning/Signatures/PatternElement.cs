namespace Moat.Scanning.Signatures;

/// <summary>One step of a body pattern. Immutable; built by <see cref="HexPatternParser"/>.</summary>
internal sealed class PatternElement
{
    private PatternElement(PatternElementKind kind)
    {
        Kind = kind;
    }

    public PatternElementKind Kind { get; }

    /// <summary>For <see cref="PatternElementKind.Byte"/>: matches when (input &amp; Mask) == Value.</summary>
    public byte Value { get; private init; }

    public byte Mask { get; private init; }

    public int MinGap { get; private init; }

    public int MaxGap { get; private init; }

    /// <summary>For <see cref="PatternElementKind.Alternatives"/>: each option's bytes and masks (same length per option).</summary>
    public byte[][] OptionValues { get; private init; } = [];

    public byte[][] OptionMasks { get; private init; } = [];

    public int MinLength => Kind switch
    {
        PatternElementKind.Byte => 1,
        PatternElementKind.Gap => MinGap,
        _ => OptionValues.Min(o => o.Length),
    };

    public int MaxLength => Kind switch
    {
        PatternElementKind.Byte => 1,
        PatternElementKind.Gap => MaxGap,
        _ => OptionValues.Max(o => o.Length),
    };

    /// <summary>How many byte values this element accepts when it is a single byte (1 exact, 2 case-folded letter).</summary>
    public int Variants => Kind == PatternElementKind.Byte ? 1 << System.Numerics.BitOperations.PopCount((uint)(byte)~Mask) : int.MaxValue;

    public static PatternElement Byte(byte value, byte mask) => new(PatternElementKind.Byte) { Value = (byte)(value & mask), Mask = mask };

    public static PatternElement Gap(int min, int max) => new(PatternElementKind.Gap) { MinGap = min, MaxGap = max };

    public static PatternElement Alternatives(byte[][] values, byte[][] masks) =>
        new(PatternElementKind.Alternatives) { OptionValues = values, OptionMasks = masks };

    public bool Matches(byte input) => (input & Mask) == Value;

    /// <summary>The byte values this element accepts (for anchor variants; only called when <see cref="Variants"/> is small).</summary>
    public IEnumerable<byte> AcceptedBytes()
    {
        if (Mask == 0xFF)
        {
            yield return Value;
            yield break;
        }

        for (var b = 0; b < 256; b++)
        {
            if (Matches((byte)b))
            {
                yield return (byte)b;
            }
        }
    }
}
