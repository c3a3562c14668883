namespace Moat.Scanning.Signatures;

/// <summary>
/// The immutable body-pattern part of a signature set: all patterns, the automaton over their
/// anchors, the slow list (patterns without an anchor, tried at every position) and the window
/// a scan must keep behind its newest byte so every pending verification still has its bytes.
/// </summary>
internal sealed class BodyMatcher
{
    /// <summary>Never keep less than this (it also covers <see cref="FileTypeDetector.HeadLength"/>).</summary>
    private const int MinimumWindow = 4096;

    public BodyMatcher(IReadOnlyList<BodyPattern> patterns)
    {
        Patterns = [.. patterns];
        var keys = new List<(byte[] Key, int Value)>();
        var slow = new List<int>();
        long window = MinimumWindow;
        for (var p = 0; p < Patterns.Length; p++)
        {
            var pattern = Patterns[p];
            if (pattern.Anchor is { } anchor)
            {
                keys.AddRange(anchor.Variants.Select(v => (v, p)));
                window = Math.Max(window, pattern.MaxLength + anchor.MaxOffset - anchor.MinOffset);
            }
            else
            {
                slow.Add(p);
                window = Math.Max(window, pattern.MaxLength);
                SlowMaxLength = Math.Max(SlowMaxLength, pattern.MaxLength);
            }

            if (pattern.Offset.Kind == SignatureOffsetKind.FromEnd)
            {
                window = Math.Max(window, pattern.Offset.Value + 1);
            }
        }

        Automaton = AhoCorasickAutomaton.Build(keys);
        SlowPatterns = [.. slow];
        Window = (int)Math.Min(window, int.MaxValue / 4);
    }

    public BodyPattern[] Patterns { get; }

    public AhoCorasickAutomaton Automaton { get; }

    public int[] SlowPatterns { get; }

    public long SlowMaxLength { get; }

    /// <summary>Bytes a scan keeps behind its newest byte.</summary>
    public int Window { get; }
}
