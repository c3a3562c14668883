namespace Moat.Web.Dashboard;

/// <summary>A scan running now.</summary>
/// <param name="Name">The message or file being scanned.</param>
/// <param name="TotalBytes">The root's length, when known (the progress bar is indeterminate otherwise).</param>
/// <param name="CurrentObject">The part or archive member the engines are on now.</param>
public sealed record ScanInProgress(
    long Id,
    string Name,
    long BytesDone,
    long? TotalBytes,
    string? CurrentObject,
    int ObjectsScanned,
    double ElapsedSeconds);
