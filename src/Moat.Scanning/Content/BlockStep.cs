namespace Moat.Scanning.Content;

/// <summary>What an encoded block did with a line.</summary>
internal enum BlockStep
{
    /// <summary>The line belongs to the block; the block goes on.</summary>
    Continue,

    /// <summary>The line closed the block (an "end" or "=yend" line).</summary>
    Ended,

    /// <summary>The line is not part of the block; the block ended before it.</summary>
    Rejected,
}
