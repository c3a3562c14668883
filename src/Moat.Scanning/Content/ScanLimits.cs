namespace Moat.Scanning.Content;

/// <summary>Bounds on what one walk may expand, so hostile input costs a bounded amount of work.</summary>
public sealed class ScanLimits
{
    /// <summary>How many MIME, message or archive levels below the root are expanded.</summary>
    public int MaxDepth { get; set; } = 16;

    /// <summary>How many objects (the root included) one walk yields at most.</summary>
    public int MaxObjects { get; set; } = 10_000;

    /// <summary>How many decoded bytes one walk writes at most, summed over all objects.</summary>
    public long MaxTotalBytes { get; set; } = 1L << 30;

    /// <summary>How much larger than its compressed form an archive member (or the whole walk) may grow.</summary>
    public double MaxExpansionRatio { get; set; } = 250;

    /// <summary>How many decoded bytes one object may have; longer content is cut here.</summary>
    public long MaxObjectBytes { get; set; } = 256L << 20;
}
