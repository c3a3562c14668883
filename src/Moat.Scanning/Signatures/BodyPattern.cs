namespace Moat.Scanning.Signatures;

/// <summary>
/// A body pattern ready for matching: an .ndb signature or one subsignature of an .ldb
/// signature, with its anchor (the fixed bytes the automaton looks for) chosen at load.
/// </summary>
internal sealed class BodyPattern
{
    public BodyPattern(string name, PatternElement[] elements, SignatureOffset offset, SignatureTarget target, int countLimit, int logicalOwner)
    {
        Name = name;
        Elements = elements;
        Offset = offset;
        Target = target;
        CountLimit = countLimit;
        LogicalOwner = logicalOwner;
        MinLength = elements.Sum(e => (long)e.MinLength);
        MaxLength = elements.Sum(e => (long)e.MaxLength);
        Anchor = AnchorSelector.Select(elements);
    }

    /// <summary>The threat name (.ndb) or "name/subsig n" (.ldb).</summary>
    public string Name { get; }

    public PatternElement[] Elements { get; }

    public SignatureOffset Offset { get; }

    public SignatureTarget Target { get; }

    /// <summary>Stop verifying hits once this many distinct matches were counted (1 for .ndb).</summary>
    public int CountLimit { get; }

    /// <summary>Index of the logical signature this is a subsignature of, or -1 for an .ndb signature.</summary>
    public int LogicalOwner { get; }

    public long MinLength { get; }

    public long MaxLength { get; }

    /// <summary>The anchor, or null when the pattern has no usable run of fixed bytes (slow list).</summary>
    public PatternAnchor? Anchor { get; }
}
