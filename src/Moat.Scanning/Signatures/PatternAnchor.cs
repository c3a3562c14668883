namespace Moat.Scanning.Signatures;

/// <summary>
/// The fixed bytes of a pattern that the automaton searches for. The anchor starts between
/// <see cref="MinOffset"/> and <see cref="MaxOffset"/> bytes after the pattern's start (the two
/// differ when a bounded gap or alternative of varying length comes before it).
/// <see cref="Variants"/> are all byte strings the anchor accepts (several for case-insensitive letters).
/// </summary>
internal sealed record PatternAnchor(byte[][] Variants, int Length, long MinOffset, long MaxOffset);
