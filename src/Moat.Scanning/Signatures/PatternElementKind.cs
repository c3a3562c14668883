namespace Moat.Scanning.Signatures;

internal enum PatternElementKind
{
    /// <summary>One byte compared under a mask: exact, nibble wildcard, "??" or case-folded letter.</summary>
    Byte,

    /// <summary>Between <see cref="PatternElement.MinGap"/> and <see cref="PatternElement.MaxGap"/> arbitrary bytes.</summary>
    Gap,

    /// <summary>One of several byte strings: "(aa|bbcc)".</summary>
    Alternatives,
}
