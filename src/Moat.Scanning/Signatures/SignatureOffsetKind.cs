namespace Moat.Scanning.Signatures;

public enum SignatureOffsetKind
{
    /// <summary>"*": anywhere.</summary>
    Any,

    /// <summary>"n" or "n,maxshift": the match starts n..n+maxshift bytes from the start.</summary>
    FromStart,

    /// <summary>"EOF-n" or "EOF-n,maxshift": the match starts n..n-maxshift bytes before the end.</summary>
    FromEnd,
}
