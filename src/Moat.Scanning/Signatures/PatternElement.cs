namespace Moat.Scanning.Signatures;

/// <summary>One step of a body pattern. Immutable; built by <see cref="HexPatternParser"/>.</summary>
internal sealed class PatternElement
{
    /// <summary>Masks of the byte elements that are shared: exact, "??", "?a", "a?", case-folded letter.</summary>
    private static readonly byte[] SharedMasks = [0xFF, 0x00, 0x0F, 0xF0, 0xDF];

    private static readonly PatternElement?[] Shared = new PatternElement?[SharedMasks.Length * 256];

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

    /// <summary>
    /// A byte element. Elements are immutable, so the usual ones (exact bytes, "??", nibble
    /// wildcards, case-folded letters) are shared instances: a pattern then costs one reference
    /// per byte instead of one object per byte (10,000 patterns of 30 bytes were 15 MB of them).
    /// </summary>
    public static PatternElement Byte(byte value, byte mask)
    {
        value &= mask;
        var kind = Array.IndexOf(SharedMasks, mask);
        if (kind < 0)
        {
            return new(PatternElementKind.Byte) { Value = value, Mask = mask };
        }

        // A race only makes two equal instances, and either is fine.
        ref var shared = ref Shared[(kind * 256) + value];
        return shared ??= new(PatternElementKind.Byte) { Value = value, Mask = mask };
    }

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
