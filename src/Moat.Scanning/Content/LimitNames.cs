namespace Moat.Scanning.Content;

/// <summary>The names used in <see cref="LimitViolation.Limit"/>.</summary>
public static class LimitNames
{
    public const string Depth = "depth";
    public const string Objects = "objects";
    public const string TotalBytes = "total-bytes";
    public const string ExpansionRatio = "expansion-ratio";
    public const string ObjectBytes = "object-bytes";
    public const string DamagedArchive = "damaged-archive";
    public const string DamagedMessage = "damaged-message";

    /// <summary>
    /// The bounds: beyond them content went unscanned on purpose (a zip bomb, say), which is a
    /// verdict. Damaged archives and messages are not among them: everything readable in them
    /// was scanned, and broken but harmless mail is common, so they are reported, not refused.
    /// </summary>
    public static bool IsBound(string limit) =>
        limit is Depth or Objects or TotalBytes or ExpansionRatio or ObjectBytes;
}
