namespace Moat.Scanning.Content;

/// <summary>The ways decoders treat stray '=' and junk in base64; clients differ, so each is tried.</summary>
internal enum Base64Variant
{
    /// <summary>Every character outside the alphabet, '=' included, is skipped.</summary>
    SkipJunk,

    /// <summary>'=' after two or more characters of a group ends the group; earlier '=' is skipped (Python's way).</summary>
    PaddingEndsGroup,

    /// <summary>The first '=' ends the data; anything after it is ignored.</summary>
    StopAtPadding,

    /// <summary>'=' inside the data counts as a zero digit ('A').</summary>
    PaddingAsZero,

    /// <summary>A line ends at its first character outside the alphabet; groups run on across lines.</summary>
    CutLineAtJunk,

    /// <summary>Each line on its own: it ends at its first character outside the alphabet, and a partial group at its end is dropped.</summary>
    PerLine,
}
